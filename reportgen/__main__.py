"""`python -m reportgen`: the same as the `reportgen` command."""

from reportgen.cli import main

if __name__ == "__main__":
    main()
