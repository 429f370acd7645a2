from chuangcheng.cli import main

main()
