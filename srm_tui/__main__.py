"""Allow ``python -m srm_tui``."""

from srm_tui.cli import main

if __name__ == "__main__":
    main()
