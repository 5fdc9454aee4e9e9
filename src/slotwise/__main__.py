from slotwise.cli import main

main()
