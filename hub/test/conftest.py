import signal


def pytest_configure(config):
    # SIGTERM (a CI time-out, a killed job) becomes KeyboardInterrupt, so the fixture still stops
    # the hub and removes its test users.
    def interrupt(signum, frame):
        raise KeyboardInterrupt
    signal.signal(signal.SIGTERM, interrupt)
