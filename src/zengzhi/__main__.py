from zengzhi.cli.main import main

main()
