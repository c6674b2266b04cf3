"""Command-line interface: ``evalkit build``, ``evalkit validate``, ``evalkit reconstruct``."""

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


def cmd_build(args: argparse.Namespace) -> int:
    """Run the pipeline."""
    from evalkit.pipeline.build import BuildConfig, BuildError, build

    project, register = _project_paths(args)
    out = (args.out or project / "_build").resolve()
    if args.register and not args.out and register != (project / "data" / "register").resolve():
        _log("let op: --register zonder --out overschrijft het standaardboek in _build/")
    config = BuildConfig(
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
    )
    try:
        build(config, log=_log)
    except InputError as exc:
        _log(f"evalkit: de invoer is ongeldig; er is niets berekend.\n{exc}")
        return 2
    except BuildError as exc:
        _log(f"evalkit: bouwen mislukt; het vorige boek is ongewijzigd.\n{exc}")
        return 1
    return 0


def cmd_validate(args: argparse.Namespace) -> int:
    """Validate a register and print every problem as a table."""
    from evalkit.inputs.register import load_reference, validate_register

    project, register = _project_paths(args)
    reference = load_reference(project / "data" / "reference")
    _, problems = validate_register(register, reference, args.today or dt.date.today())
    if problems:
        _log(str(InputError(problems)))
        return 2
    _log(f"register in orde: {register}")
    return 0


def cmd_reconstruct(args: argparse.Namespace) -> int:
    """Rebuild the synthetic register from the claims registry with CP-SAT."""
    from evalkit.solver.synthesis import reconstruct_to

    project, _ = _project_paths(args)
    target = (args.target or project / "data" / "register").resolve()
    report = reconstruct_to(project / "data", target, seed=args.seed, log=_log)
    _log(report)
    return 0


def parser() -> argparse.ArgumentParser:
    """The argument parser (``evalkit --help``)."""
    p = argparse.ArgumentParser(prog="evalkit", description=__doc__)
    p.add_argument("--project", type=Path, help="project folder (default: current folder)")
    sub = p.add_subparsers(dest="command", required=True)

    b = sub.add_parser("build", help="run the pipeline and build the book (HTML and PDF)")
    b.add_argument("--register", type=Path, help="register folder (default: data/register)")
    b.add_argument("--out", type=Path, help="output folder (default: _build)")
    b.add_argument("--no-pdf", action="store_true", help="build only the HTML")
    b.add_argument("--jobs", type=int, default=2, help="notebooks executed at once (default 2)")
    b.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    b.add_argument("--cache", type=Path, help="cache folder (default: OUT/cache)")
    b.add_argument(
        "--disclosure",
        choices=("none", "cbs"),
        default="none",
        help="disclosure control of counts: none (published figures) or cbs (default: none)",
    )
    b.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    b.add_argument("--vega-bundle", type=Path, help=argparse.SUPPRESS)
    b.set_defaults(func=cmd_build)

    v = sub.add_parser("validate", help="validate a register and list every problem")
    v.add_argument("--register", type=Path, help="register folder (default: data/register)")
    v.add_argument("--today", type=dt.date.fromisoformat, help=argparse.SUPPRESS)
    v.set_defaults(func=cmd_validate)

    r = sub.add_parser("reconstruct", help="rebuild the synthetic register with CP-SAT")
    r.add_argument("--target", type=Path, help="output folder (default: data/register)")
    r.add_argument("--seed", type=int, default=20231231, help="solver seed")
    r.set_defaults(func=cmd_reconstruct)
    return p


def main(argv: list[str] | None = None) -> int:
    """Entry point of the ``evalkit`` command."""
    args = parser().parse_args(argv)
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
