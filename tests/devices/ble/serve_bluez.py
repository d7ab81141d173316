#!/usr/bin/python3
# serve_bluez.py — a mocked BlueZ (mock_bluez.py) kept running for a screen test:
# writes its bus address to ARGV[1], then behaves like the room around the cabin: a
# blood-pressure monitor in pairing mode shows up once a discovery runs; once the cabin
# subscribed to its measurement characteristic (Notifying), it indicates one
# measurement (BLS 1.1 3.1: flags 0x06 = mmHg, time stamp, pulse; 128/84 mm[Hg], mean
# 99, pulse 71, stamped now) like a monitor the patient just used. Stops on SIGTERM.
import datetime
import os
import signal
import struct
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mock_bluez  # noqa: E402

ADDR = 'C0:FF:EE:00:01:10'


def sfloat(m, e=0):
    return struct.pack('<H', ((e & 0xF) << 12) | (m & 0x0FFF))


def main():
    bz = mock_bluez.Bluez()
    stop = []
    signal.signal(signal.SIGTERM, lambda *a: stop.append(1))
    with open(sys.argv[1] + '.tmp', 'w') as f:
        f.write(bz.address + '\n')
    os.rename(sys.argv[1] + '.tmp', sys.argv[1])
    adapter = bz.obj('/org/bluez/hci0')
    dev = None
    sent = False
    try:
        while not stop:
            time.sleep(0.1)
            if dev is None and adapter.Get('org.bluez.Adapter1', 'Discovering',
                                           dbus_interface='org.freedesktop.DBus.Properties'):
                dev = bz.add_instrument(ADDR, 'BP Monitor (synthetic)', 0x1810, [(0x2A35, ['indicate'])])
                print('serve_bluez: monitor advertising', flush=True)
            if dev and not sent:
                try:
                    cp = bz.chr_path(dev, 0x2A35)
                except KeyError:  # forgotten
                    continue
                if bz.obj(cp).Get(mock_bluez.CHR_IF, 'Notifying',
                                  dbus_interface='org.freedesktop.DBus.Properties'):
                    now = datetime.datetime.now(datetime.timezone.utc)
                    v = (bytes([0x06]) + sfloat(128) + sfloat(84) + sfloat(99) +
                         struct.pack('<HBBBBB', now.year, now.month, now.day, now.hour, now.minute,
                                     now.second) + sfloat(71))
                    time.sleep(0.3)
                    bz.notify(dev, 0x2A35, v)
                    sent = True
                    print('serve_bluez: measurement indicated', flush=True)
    finally:
        bz.close()


if __name__ == '__main__':
    main()
