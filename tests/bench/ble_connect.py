#!/usr/bin/python3
# ble_connect.py — Bluetooth LE connect-to-first-reading on the mocked BlueZ
# (tests/devices/ble/mock_bluez.py): a paired, adopted blood-pressure monitor whose
# measurement characteristic indicates a BLS value as soon as StartNotify is called.
# Each round drops the link; the real `cabin-devices watch --ble` calls Connect again;
# the figure is from the mock's Connect call (its recorded time) to the reading's JSON
# line from the manager's callback: link up, services resolved, GATT objects walked,
# StartNotify, the indication, decoding, the callback. Median of ROUNDS (default 10).
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import queue

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'devices', 'ble'))
import dbus  # noqa: E402
import dbusmock  # noqa: E402
import mock_bluez  # noqa: E402

ADDR = 'C0:FF:EE:00:02:01'
BUILD = os.environ.get('BUILD', 'build')
ROUNDS = int(os.environ.get('BLE_BENCH_ROUNDS', '10'))
# BLS 1.1 3.1: flags 0x04 (mmHg, pulse), 120/80/93, pulse 62 (SFLOAT, exponent 0)
VALUE = 'b"\\x04\\x78\\x00\\x50\\x00\\x5d\\x00\\x3e\\x00"'


def main():
    bz = mock_bluez.Bluez()
    dev = bz.add_instrument(ADDR, 'BP Monitor (bench)', 0x1810, [(0x2A35, ['indicate'])], paired=True)
    cp = bz.chr_path(dev, 0x2A35)
    dbus.Interface(bz.obj(cp), dbusmock.MOCK_IFACE).AddMethod(
        mock_bluez.CHR_IF, 'StartNotify', '', '',
        'self.UpdateProperties(self.interface, {"Notifying": dbus.Boolean(True)}); '
        'self.EmitSignal("org.freedesktop.DBus.Properties", "PropertiesChanged", "sa{sv}as", '
        '[self.interface, dbus.Dictionary({"Value": dbus.ByteArray(%s)}, signature="sv"), '
        'dbus.Array([], signature="s")])' % VALUE)
    env = dict(os.environ, CABIN_BLE_RECONNECT_MS='200')
    p = subprocess.Popen([BUILD + '/cabin-devices', 'watch', '--no-hotplug', '--ble', ADDR],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    q = queue.Queue()

    def reader():
        for line in p.stdout:
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if e.get('event') == 'reading':
                q.put(time.time())
    threading.Thread(target=reader, daemon=True).start()
    got = []
    try:
        for _ in range(ROUNDS + 1):
            t_read = q.get(timeout=20)
            while True:  # the 4 readings of one value: keep the first
                try:
                    q.get(timeout=0.3)
                except queue.Empty:
                    break
            calls = bz.calls(dev, 'Connect')
            got.append((t_read - calls[-1][0]) * 1000)
            bz.set_device(dev, Connected=False, ServicesResolved=False)
    finally:
        p.terminate()
        p.wait(10)
        bz.close()
    got = got[1:]  # the first round includes the watch's start-up
    print(json.dumps({'name': 'ble_connect_to_first_reading_ms', 'value': round(statistics.median(got), 1),
                      'unit': 'ms', 'note': 'mocked BlueZ (python3-dbusmock bluez5): Connect to the reading '
                      'callback, median of %d, max %.1f' % (len(got), max(got))}))


if __name__ == '__main__':
    main()
