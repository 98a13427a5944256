"""The command line: `capacity-planner [COMMAND] ...`. Never imports ui (except to open the
app when no command is given, which goes through ``capacity_planner.ui.app`` lazily).

Each command lives in its own module in this package and exposes
``register(subparsers) -> None``; the parser it adds sets ``func=run`` where
``run(args) -> int`` returns the exit code (DESIGN section 5: 0 ok, 1 invalid input,
2 usage, 3 infeasible or not optimal).
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import sys
from collections.abc import Sequence

from capacity_planner import __version__

# Command modules, in the order `--help` lists them.
COMMANDS = ("validate", "solve", "template", "sample", "compare", "sweep", "montecarlo",
            "pack", "opendata", "calibrate")

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_NOT_SOLVED = 0, 1, 2, 3
EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE, as the shell reports a tool stopped by `| head`
EXIT_INTERNAL = 70  # sysexits' EX_SOFTWARE: a fault of ours, not of the user's input
DEBUG_VARIABLE = "CAPACITY_PLANNER_DEBUG"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="capacity-planner",
        description="Plan specialist police workforce against serious and organised crime "
                    "demand. With no command, opens the desktop app.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"capacity_planner.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"capacity_planner.cli.{name}":
                raise
            continue  # command not built yet
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not args_list or (args_list[0].endswith((".xlsx", ".xlsm", ".ods", ".csv"))
                         and len(args_list) == 1):
        return _open_app(args_list[0] if args_list else None)
    try:
        args = parser.parse_args(args_list)
    except SystemExit as exc:  # argparse: 0 for --help/--version, 2 for usage errors
        return int(exc.code or 0)
    if not getattr(args, "func", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        print("Interrupted.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE_CLOSED
    except Exception as exc:
        if os.environ.get(DEBUG_VARIABLE):
            raise
        print(f"capacity-planner {args.command}: unexpected error ({type(exc).__name__}: "
              f"{str(exc).strip()[:300] or 'no detail'}). This is a fault in Capacity "
              f"Planner, not in your files; run again with {DEBUG_VARIABLE}=1 to see where "
              "it happened.", file=sys.stderr)
        return EXIT_INTERNAL


def _silence_stdout() -> None:
    """The program reading our output has gone (``... | head``): point stdout at the null
    device so that Python's own flush at exit does not fail a second time."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        pass  # stdout is not a file (a test's capture): nothing will flush to a pipe


def _open_app(path: str | None) -> int:
    app = importlib.import_module("capacity_planner.ui.app")
    return int(app.run(path))
