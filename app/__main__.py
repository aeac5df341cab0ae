from app.cli import main

if __name__ == "__main__":  # not when a spawned worker process (app.cpu) imports it
    main()
