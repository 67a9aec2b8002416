from tests.bench.inprocess import main

main()
