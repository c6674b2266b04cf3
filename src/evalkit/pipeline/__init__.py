"""Stage 5, pipeline: the build, the command line and the benchmark."""
