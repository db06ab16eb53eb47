from .doors.cli import main

raise SystemExit(main())
