#!/usr/bin/python3
# ble_gatt.py — the Bluetooth LE transport and driver (ble-gatt) end to end on a mocked
# BlueZ (mock_bluez.py: python3-dbusmock's bluez5 template on a private bus): the real
# `cabin-devices watch --ble ADDRESSES` follows BlueZ, connects, subscribes, decodes,
# and its JSON lines (the manager's reading callback, the path every instrument's
# readings take into the cabin) are checked value by value. Prints TAP.
#
# Characteristic values are built field by field from the Bluetooth SIG service
# specifications (BLS 1.1 3.1 Blood Pressure Measurement, HTS 1.0 3.1 Temperature
# Measurement, GLS 1.0 3.1 Glucose Measurement and 3.6 Record Access Control Point)
# and the GATT Specification Supplement (Date Time, IEEE 11073 SFLOAT/FLOAT).
import datetime
import json
import os
import queue
import struct
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import mock_bluez  # noqa: E402

BUILD = os.environ['BUILD']
BP_ADDR, THERMO_ADDR, GLU_ADDR, NEIGHBOUR = (
    'C0:FF:EE:00:00:01', 'C0:FF:EE:00:00:02', 'C0:FF:EE:00:00:03', 'C0:FF:EE:00:00:99')

n = 0
failed = 0


def ok(cond, name, *diag):
    global n, failed
    n += 1
    print('%s %d - %s' % ('ok' if cond else 'not ok', n, name))
    if not cond:
        failed = 1
        for d in diag:
            print('#   ' + str(d).replace('\n', '\n#   '))
    sys.stdout.flush()


def sfloat(mantissa, exponent):
    """IEEE 11073-20601 SFLOAT-Type: 4-bit exponent, 12-bit mantissa, little-endian."""
    return struct.pack('<H', ((exponent & 0xF) << 12) | (mantissa & 0x0FFF))


def float32(mantissa, exponent):
    """IEEE 11073-20601 FLOAT-Type: 8-bit exponent, 24-bit mantissa, little-endian."""
    return struct.pack('<I', ((exponent & 0xFF) << 24) | (mantissa & 0xFFFFFF))


def date_time(t):
    """GATT Specification Supplement Date Time: year u16, month, day, h, min, s."""
    return struct.pack('<HBBBBB', t.year, t.month, t.day, t.hour, t.minute, t.second)


class Watch:
    """cabin-devices watch: its JSON lines in a queue, its log in a file."""

    def __init__(self, addresses, log, extra=(), env_extra=None):
        env = dict(os.environ, CABIN_BLE_RECONNECT_MS='300', **(env_extra or {}))
        self.log_path = log
        self.p = subprocess.Popen([BUILD + '/cabin-devices', 'watch', '--no-hotplug', '--ble', addresses] +
                                  list(extra),
                                  stdout=subprocess.PIPE, stderr=open(log, 'w'), text=True, env=env)
        self.q = queue.Queue()
        self.seen = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        for line in self.p.stdout:
            try:
                self.q.put(json.loads(line))
            except ValueError:
                self.q.put({'event': 'garbage', 'line': line})

    def expect(self, pred, timeout=15):
        """The next event (in order) for which PRED is true, or None after TIMEOUT."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                e = self.q.get(timeout=0.1)
            except queue.Empty:
                continue
            self.seen.append(e)
            if pred(e):
                return e
        return None

    def take(self, count, pred, timeout=15):
        out = []
        while len(out) < count:
            e = self.expect(pred, timeout)
            if e is None:
                break
            out.append(e)
        return out

    def close(self):
        self.p.terminate()
        try:
            self.p.wait(10)
        except subprocess.TimeoutExpired:
            self.p.kill()


def reading(h):
    return lambda e: e.get('event') == 'reading' and e.get('handle') == h


def state(h, st, inc='none'):
    return lambda e: (e.get('event') == 'state' and e.get('handle') == h and e['state'] == st and
                      e['incident'] == inc)


def brief(e):
    r = e['reading']
    return (r['name'], r['value'], r['ucum'], r.get('time'), tuple(r['flags']))


def wait_for(fn, timeout=10):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if fn():
            return True
        time.sleep(0.05)
    return False


def main():
    tmp = os.environ.get('TMPDIR_BLE', '/tmp')
    bz = mock_bluez.Bluez()
    w = None
    try:
        print('1..20')
        bp = bz.add_instrument(BP_ADDR, 'BP Monitor (synthetic)', 0x1810, [(0x2A35, ['indicate'])],
                               paired=True)
        nb = bz.add_instrument(NEIGHBOUR, 'Neighbour thermometer', 0x1809, [(0x2A1C, ['indicate'])])
        w = Watch(','.join([BP_ADDR, THERMO_ADDR, GLU_ADDR]), tmp + '/watch.log')

        # 1. discovery: the adopted instrument only
        a = w.expect(lambda e: e.get('event') == 'attached')
        d = a['device'] if a else {}
        ok(a is not None and d['bus'] == 'ble' and d['kind'] == 'blood-pressure' and d['driver'] == 'ble-gatt'
           and d['devnode'] == BP_ADDR and d['syspath'] == 'bluez:' + bp,
           'the adopted blood-pressure monitor attaches: bus ble, driver ble-gatt, its address',
           json.dumps(a))
        h = d.get('handle')

        # 2. connection and subscription
        st = w.expect(state(h, 'ready'))
        chr_bp = bz.chr_path(bp, 0x2A35)
        ok(st is not None and st['detail'] == 'connected' and len(bz.calls(bp, 'Connect')) == 1 and
           len(bz.calls(chr_bp, 'StartNotify')) == 1,
           'Connect, then StartNotify on Blood Pressure Measurement 0x2A35: state ready "connected"',
           json.dumps(st), bz.calls(bp, 'Connect'))

        # 3. BLS 3.1: flags 0x1E (mmHg, time stamp, pulse, user id, status), 120/80/93
        # mmHg, now, pulse 62, user 1, status 0x0000
        now = datetime.datetime.now(datetime.timezone.utc).replace(microsecond=0)
        ts = now.strftime('%Y-%m-%dT%H:%M:%S')
        bpm = (bytes([0x1E]) + sfloat(120, 0) + sfloat(80, 0) + sfloat(93, 0) + date_time(now) +
               sfloat(62, 0) + bytes([1]) + struct.pack('<H', 0))
        bz.notify(bp, 0x2A35, bpm)
        got = [brief(e) for e in w.take(4, reading(h))]
        want = [('MDC_PRESS_BLD_NONINV_SYS', 120, 'mm[Hg]', ts, ()),
                ('MDC_PRESS_BLD_NONINV_DIA', 80, 'mm[Hg]', ts, ()),
                ('MDC_PRESS_BLD_NONINV_MEAN', 93, 'mm[Hg]', ts, ()),
                ('MDC_PULS_RATE_NON_INV', 62, '/min', ts, ())]
        ok(sorted(got) == sorted(want), 'BLS measurement: 120/80 (mean 93) mm[Hg], pulse 62 /min, the instrument\'s time',
           'got:  %s' % got, 'want: %s' % want)

        # 4. a malformed indication: flags announce a time stamp the 9 bytes do not hold
        bad = bytes([0x1E]) + sfloat(121, 0) + sfloat(81, 0) + sfloat(94, 0) + bytes([0xE8, 0x07])
        bz.notify(bp, 0x2A35, bad)
        inc = w.expect(state(h, 'ready', 'protocol-error'))
        logged = wait_for(lambda: 'characteristic 0x2A35 value refused (truncated' in open(w.log_path).read())
        ok(inc is not None and inc['detail'].startswith('0x2A35 value refused: truncated') and logged and
           '1e79005100' in open(w.log_path).read(),
           'a truncated indication is refused: incident protocol-error, the log names the reason and the bytes',
           json.dumps(inc), open(w.log_path).read()[-600:])

        # 5. nothing lost: the next indication is taken as usual
        good = bytes([0x04]) + sfloat(118, 0) + sfloat(79, 0) + sfloat(92, 0) + sfloat(64, 0)
        bz.notify(bp, 0x2A35, good)
        got = [brief(e) for e in w.take(4, reading(h))]
        ok(sorted(got) == sorted([('MDC_PRESS_BLD_NONINV_SYS', 118, 'mm[Hg]', None, ()),
                                  ('MDC_PRESS_BLD_NONINV_DIA', 79, 'mm[Hg]', None, ()),
                                  ('MDC_PRESS_BLD_NONINV_MEAN', 92, 'mm[Hg]', None, ()),
                                  ('MDC_PULS_RATE_NON_INV', 64, '/min', None, ())]),
           'after the refused value the next one arrives whole: 118/79 (92), pulse 64', got)

        # 6-7. the instrument drops the link, then comes back
        bz.set_device(bp, Connected=False, ServicesResolved=False)
        st = w.expect(state(h, 'idle'))
        ok(st is not None and st['detail'] == 'disconnected: waiting for the instrument to come back',
           'a dropped link: state idle, "waiting for the instrument to come back"', json.dumps(st))
        st = w.expect(state(h, 'ready'))
        ok(st is not None and len(bz.calls(bp, 'Connect')) >= 2 and len(bz.calls(chr_bp, 'StartNotify')) == 2,
           'reconnected: Connect again, StartNotify again, state ready', json.dumps(st),
           bz.calls(bp, 'Connect'), bz.calls(chr_bp, 'StartNotify'))
        bz.notify(bp, 0x2A35, good)
        got = w.take(4, reading(h))
        ok(len(got) == 4 and got[0]['reading']['value'] in (118, 79, 92, 64),
           'after the reconnection the measurements arrive', [brief(e) for e in got])

        # 9. the neighbour's instrument (not adopted) was never attached
        ok(not any(e.get('event') == 'attached' and e['device']['devnode'] == NEIGHBOUR for e in w.seen),
           "a neighbour's thermometer BlueZ sees is never taken")

        # 10. HTS 3.1: flags 0x06 (Celsius, time stamp, type), 36.8 Cel as FLOAT
        # (mantissa 368, exponent -1), type 6 (mouth)
        th = bz.add_instrument(THERMO_ADDR, 'Thermometer (synthetic)', 0x1809, [(0x2A1C, ['indicate'])],
                               paired=True)
        a = w.expect(lambda e: e.get('event') == 'attached' and e['device']['devnode'] == THERMO_ADDR)
        ht = a['device']['handle'] if a else -1
        w.expect(state(ht, 'ready'))
        bz.notify(th, 0x2A1C, bytes([0x06]) + float32(368, -1) + date_time(now) + bytes([6]))
        got = [brief(e) for e in w.take(1, reading(ht))]
        ok(got == [('MDC_TEMP_BODY', 36.8, 'Cel', ts, ())] and a['device']['kind'] == 'thermometer',
           'a thermometer attached while running: HTS 36.8 Cel (FLOAT), its time', got)

        # 11-13. GLS: the RACP on connection, records since the session only, never twice
        gl = bz.add_instrument(GLU_ADDR, 'Glucose meter (synthetic)', 0x1808,
                               [(0x2A18, ['notify']), (0x2A52, ['write', 'indicate'])], paired=True)
        a = w.expect(lambda e: e.get('event') == 'attached' and e['device']['devnode'] == GLU_ADDR)
        hg = a['device']['handle'] if a else -1
        w.expect(state(hg, 'ready'))
        racp = bz.chr_path(gl, 0x2A52)
        wait_for(lambda: len(bz.calls(racp, 'WriteValue')) >= 1)
        writes = [bytes(c[1][0]) for c in bz.calls(racp, 'WriteValue')]
        old = datetime.datetime(2024, 5, 17, 8, 30, 0)
        # GLS 3.1: flags 0x02 (concentration kg/L + type/location), seq, base time,
        # 95 mg/dL = 95e-5 kg/L (SFLOAT mantissa 95, exponent -5), capillary whole
        # blood (type 1) from a finger (location 1): 0x11
        rec1 = bytes([0x02]) + struct.pack('<H', 1) + date_time(old) + sfloat(95, -5) + bytes([0x11])
        rec2 = bytes([0x02]) + struct.pack('<H', 2) + date_time(now) + sfloat(102, -5) + bytes([0x11])
        bz.notify(gl, 0x2A18, rec1)
        bz.notify(gl, 0x2A18, rec2)
        bz.notify(gl, 0x2A52, bytes([0x06, 0x00, 0x01, 0x01]))  # response: report records, success
        got = [brief(e) for e in w.take(1, reading(hg))]
        ok(writes == [bytes([0x01, 0x01])] and
           got == [('MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD', 102, 'mg/dL', ts, ('stored',))],
           'glucose: RACP "report stored records, all" on connection; the 2024 record left out, '
           'the session\'s 102 mg/dL reported', writes, got)
        bz.set_device(gl, Connected=False, ServicesResolved=False)
        w.expect(state(hg, 'idle'))
        w.expect(state(hg, 'ready'))
        wait_for(lambda: len(bz.calls(racp, 'WriteValue')) >= 2)
        writes = [bytes(c[1][0]) for c in bz.calls(racp, 'WriteValue')]
        ok(writes[1:] == [bytes([0x01, 0x03, 0x01, 0x03, 0x00])],
           'after a reconnection: RACP "report records >= sequence 3" (GLS 4.10, filter type 0x01)',
           writes)
        # the meter sends record 2 again (a retry), then record 3 in mmol/L
        rec3 = bytes([0x06]) + struct.pack('<H', 3) + date_time(now) + sfloat(53, -4) + bytes([0x12])
        bz.notify(gl, 0x2A18, rec2)
        bz.notify(gl, 0x2A18, rec3)
        bz.notify(gl, 0x2A52, bytes([0x06, 0x00, 0x01, 0x01]))
        got = [brief(e) for e in w.take(1, reading(hg))]
        time.sleep(0)  # the queue is read in order: a duplicate would have come first
        ok(got == [('MDC_CONC_GLU_CAPILLARY_PLASMA', 5.3, 'mmol/L', ts, ('stored',))],
           'a record sent again is not reported twice; the next one, 5.3 mmol/L (5.3e-3 mol/L), is', got)

        # 14-15. the link drops in the middle of a record transfer: what arrived is kept,
        # the next connection asks from the next sequence number, nothing twice
        bz.set_device(gl, Connected=False, ServicesResolved=False)
        w.expect(state(hg, 'idle'))
        w.expect(state(hg, 'ready'))
        wait_for(lambda: len(bz.calls(racp, 'WriteValue')) >= 3)
        rec4 = bytes([0x02]) + struct.pack('<H', 4) + date_time(now) + sfloat(110, -5) + bytes([0x11])
        rec5 = bytes([0x02]) + struct.pack('<H', 5) + date_time(now) + sfloat(99, -5) + bytes([0x11])
        bz.notify(gl, 0x2A18, rec4)
        got4 = [brief(e) for e in w.take(1, reading(hg))]
        bz.set_device(gl, Connected=False, ServicesResolved=False)  # before rec5 and the response
        st = w.expect(state(hg, 'idle'))
        w.expect(state(hg, 'ready'))
        wait_for(lambda: len(bz.calls(racp, 'WriteValue')) >= 4)
        writes = [bytes(c[1][0]) for c in bz.calls(racp, 'WriteValue')]
        ok(got4 == [('MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD', 110, 'mg/dL', ts, ('stored',))] and st is not None and
           writes[3:] == [bytes([0x01, 0x03, 0x01, 0x05, 0x00])],
           'a link dropped mid-transfer: record 4 kept, the next connection asks ">= 5"', got4, writes)
        bz.notify(gl, 0x2A18, rec4)
        bz.notify(gl, 0x2A18, rec5)
        bz.notify(gl, 0x2A52, bytes([0x06, 0x00, 0x01, 0x01]))
        got = [brief(e) for e in w.take(1, reading(hg))]
        ok(got == [('MDC_CONC_GLU_CAPILLARY_WHOLEBLOOD', 99, 'mg/dL', ts, ('stored',))] and
           'no RACP response' not in open(w.log_path).read(),
           'then record 5 only (4 again is not reported), and no RACP time-out for the dropped transfer', got)

        # 16. forgotten in BlueZ: detached
        bz.remove(th)
        dt = w.expect(lambda e: e.get('event') == 'detached' and e['device']['handle'] == ht)
        ok(dt is not None, 'an instrument removed from BlueZ (forgotten) detaches', json.dumps(dt))

        # 17-19. the technician's operations (cabin-devices ble, cabin/ble_admin.h)
        def cli(*args):
            return subprocess.run([BUILD + '/cabin-devices', 'ble'] + list(args), capture_output=True,
                                  text=True, timeout=30)
        r = cli('scan', '1')
        ad = bz.obj('/org/bluez/hci0')
        filt = ad.Get('org.bluez.Adapter1', 'DiscoveryFilter', dbus_interface='org.freedesktop.DBus.Properties')
        ok(r.returncode == 0 and len(bz.calls('/org/bluez/hci0', 'StartDiscovery')) == 1 and
           len(bz.calls('/org/bluez/hci0', 'StopDiscovery')) == 1 and str(filt['Transport']) == 'le' and
           sorted(str(u)[4:8] for u in filt['UUIDs']) == ['1808', '1809', '1810', '181d', '1822'],
           'ble scan: discovery filtered on the five health services over LE, then stopped',
           r.returncode, r.stderr, filt)
        r = cli('list')
        got = sorted((j['address'], j['kind'], j['paired']) for j in map(json.loads, r.stdout.splitlines()))
        ok(got == [(BP_ADDR, 'blood-pressure', True), (GLU_ADDR, 'glucometer', True),
                   (NEIGHBOUR, 'thermometer', False)],
           'ble list: the health instruments BlueZ knows, with their kind and bond', got)
        r1 = cli('pair', NEIGHBOUR)
        nbp = bz.obj(nb).GetAll('org.bluez.Device1', dbus_interface='org.freedesktop.DBus.Properties')
        r2 = cli('forget', NEIGHBOUR)
        r3 = cli('forget', NEIGHBOUR)
        ok(r1.returncode == 0 and nbp['Paired'] and nbp['Trusted'] and r2.returncode == 0 and
           r3.returncode == 1 and 'unknown to BlueZ' in r3.stderr,
           'ble pair bonds and trusts; ble forget removes it; forgetting it again says it is unknown',
           r1.stderr, r2.stderr, r3.stderr)

        # 20. a measurement asked for and none comes: a clear time-out, the link kept
        w.close()
        w = Watch(BP_ADDR, tmp + '/watch2.log', ('--measure', 'blood-pressure'), {'CABIN_BLE_WAIT_MS': '1500'})
        a = w.expect(lambda e: e.get('event') == 'attached')
        h2 = a['device']['handle'] if a else -1
        m = w.expect(state(h2, 'measuring'))
        t = w.expect(state(h2, 'ready', 'no-new-measurement'))
        ok(m is not None and m['detail'] == 'take the measurement on the instrument' and t is not None and
           t['detail'] == 'no measurement from the instrument',
           'a request with no measurement times out: "no measurement from the instrument" (no-new-measurement)',
           json.dumps(m), json.dumps(t))
    finally:
        if w:
            w.close()
        bz.close()
    return failed


if __name__ == '__main__':
    sys.exit(main())
