"""Command-line interface: ``evalkit build``, ``validate``, ``sjabloon`` and ``reconstruct``."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path

from evalkit.inputs.errors import InputError


def _log(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def _project_paths(args: argparse.Namespace) -> tuple[Path, Path]:
    # The CLI is the one place that turns defaults into paths: the project is the current folder
    # unless --project says otherwise; everything below receives explicit paths.
    project = (args.project or Path.cwd()).resolve()
    register = (getattr(args, "register", None) or project / "data" / "register").resolve()
    return project, register


def git_commit(project: Path) -> str:
    """The project's commit (12 hex digits), ``+gewijzigd`` when tracked files were changed."""
    import subprocess

    def git(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            ["git", "-C", str(project), *args], capture_output=True, text=True, check=False
        )

    head = git("rev-parse", "--short=12", "HEAD")
    if head.returncode != 0:
        return "onbekend"
    dirty = git("status", "--porcelain", "--untracked-files=no").stdout.strip()
    return head.stdout.strip() + ("+gewijzigd" if dirty else "")


def _build_config(args: argparse.Namespace, out: Path):
    """The build settings of ``build`` and ``preview`` from their shared options."""
    from evalkit.pipeline.build import BuildConfig

    project, register = _project_paths(args)
    return BuildConfig(
        project=project,
        register=register,
        out=out,
        today=args.today or dt.date.today(),
        vega_bundle=(args.vega_bundle or project / "vendor" / "vega" / "evalkit-vega.min.js"),
        pdf=not args.no_pdf,
        jobs=args.jobs,
        force=args.force,
        cache=args.cache.resolve() if args.cache else None,
        commit=git_commit(project),
        disclosure=args.disclosure,
        small_cells_accepted=args.publish_small_cells,
        bounds=not args.no_bounds,
    )


def cmd_build(args: argparse.Namespace) -> int:
    """Run the pipeline."""
    from evalkit.pipeline.build import BuildError, build

    project, register = _project_paths(args)
    out = (args.out or project / "_build").resolve()
    if args.register and not args.out and register != (project / "data" / "register").resolve():
        _log("let op: --register zonder --out overschrijft het standaardboek in _build/")
    config = _build_config(args, out)
    try:
        build(config, log=_log)
    except InputError as exc:
        _log(f"evalkit: de invoer is ongeldig; er is niets berekend.\n{exc}")
        return 2
    except BuildError as exc:
        _log(f"evalkit: bouwen mislukt; het vorige boek is ongewijzigd.\n{exc}")
        return 1
    return 0


def cmd_preview(args: argparse.Namespace) -> int:
    """Serve the HTML book and rebuild it on every change."""
    from evalkit.pipeline.preview import serve

    project, _ = _project_paths(args)
    out = (args.out or project / "_build" / "preview").resolve()
    if args.cache is None:
        args.cache = project / "_build" / "cache"  # shared with make book: same executions
    serve(_build_config(args, out), host=args.host, port=args.port, log=_log)
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate a register and print every problem as a table."""
    from evalkit.inputs.manifest import validate_manifest
    from evalkit.inputs.register import load_reference, schemas, validate_register

    project, register = _project_paths(args)
    reference = load_reference(project / "data" / "reference")
    today = args.today or dt.date.today()
    _, problems = validate_register(register, reference, today)
    manifest, manifest_problems = validate_manifest(register, schemas(reference, today))
    problems += manifest_problems
    if problems:
        _log(str(InputError(problems)))
        return 2
    _log(f"register in orde: {register} ({manifest.title}; {manifest.kind})")
    return 0


def cmd_sjabloon(args: argparse.Namespace) -> int:
    """Write the empty Excel template for a register export."""
    from evalkit.inputs.register import load_reference
    from evalkit.inputs.template import write_template

    project, _ = _project_paths(args)
    out = args.out.resolve()
    if out.suffix.lower() != ".xlsx":
        _log(f"evalkit: het sjabloon is een Excel-werkmap; geef een naam op .xlsx, niet {out.name}")
        return 2
    if not out.parent.is_dir():
        _log(f"evalkit: map bestaat niet: {out.parent}")
        return 2
    write_template(out, load_reference(project / "data" / "reference"))
    _log(f"sjabloon geschreven: {out}")
    return 0


def cmd_reconstruct(args: argparse.Namespace) -> int:
    """Rebuild the synthetic register from the claims registry with CP-SAT."""
    from evalkit.solver.synthesis import reconstruct_to

    project, _ = _project_paths(args)
    target = (args.target or project / "data" / "register").resolve()
    today = args.today or dt.date.today()
    report = reconstruct_to(project / "data", target, today, seed=args.seed, log=_log)
    _log(report)
    return 0


REGISTER_HELP = (
    "register: a folder with the three tables as .csv or .xlsx files, or one .xlsx workbook "
    "with the three sheets (default: data/register)"
)


def _book_options(p: argparse.ArgumentParser) -> None:
    """The options ``build`` and ``preview`` share."""
    p.add_argument("--register", type=Path, help=REGISTER_HELP)
    p.add_argument("--jobs", type=int, default=2, help="notebooks executed at once (default 2)")
    p.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    p.add_argument("--cache", type=Path, help="cache folder (default: OUT/cache)")
    p.add_argument(
        "--disclosure",
        choices=("none", "cbs"),
        default=None,
        help="statistical disclosure control of counts: cbs (the default for a real register) "
        "or none (the default for a synthetic one, whose datapackage.json says so)",
    )
    p.add_argument(
        "--publish-small-cells",
        action="store_true",
        help="with --disclosure none on a real register: confirm that counts of one or two "
        "families may be published (the cover says so)",
    )
    p.add_argument(
        "--no-bounds",
        action="store_true",
        help="skip the ranges the publications allow (every register figure 'onbeslist'); "
        "a quick draft, not a book to publish",
    )
    p.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    p.add_argument("--vega-bundle", type=Path, help=argparse.SUPPRESS)


def parser() -> argparse.ArgumentParser:
    """The argument parser (``evalkit --help``)."""
    p = argparse.ArgumentParser(prog="evalkit", description=__doc__)
    p.add_argument("--project", type=Path, help="project folder (default: current folder)")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="run the pipeline and build the book (HTML and PDF)")
    b.add_argument("--out", type=Path, help="output folder (default: _build)")
    b.add_argument("--no-pdf", action="store_true", help="build only the HTML")
    _book_options(b)
    b.set_defaults(func=cmd_build)

    w = sub.add_parser("preview", help="serve the HTML book on 127.0.0.1, rebuild on change")
    w.add_argument("--out", type=Path, help="output folder (default: _build/preview)")
    w.add_argument("--host", default="127.0.0.1", help="address to serve on (default 127.0.0.1)")
    w.add_argument("--port", type=int, default=8000, help="port (default 8000; 0 picks one)")
    _book_options(w)
    w.set_defaults(func=cmd_preview, no_pdf=True)

    v = sub.add_parser("validate", help="validate a register and list every problem")
    v.add_argument("--register", type=Path, help=REGISTER_HELP)
    v.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    v.set_defaults(func=cmd_validate)

    t = sub.add_parser(
        "sjabloon", help="write an empty Excel template (.xlsx) for a register export"
    )
    t.add_argument("--out", type=Path, required=True, help="the workbook to write (FILE.xlsx)")
    t.set_defaults(func=cmd_sjabloon)

    r = sub.add_parser("reconstruct", help="rebuild the synthetic register with CP-SAT")
    r.add_argument("--target", type=Path, help="output folder (default: data/register)")
    r.add_argument("--seed", type=int, default=20231231, help="solver seed")
    r.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    r.set_defaults(func=cmd_reconstruct)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``evalkit`` command."""
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
