import sys

from evidence.cli.commands import main

sys.exit(main())
