#!/usr/bin/python3
# mock_bluez.py — a mocked BlueZ for the Bluetooth LE tests: a private D-Bus bus used
# as the system bus, python3-dbusmock's `bluez5` template, an adapter, and health
# instruments as org.bluez.Device1 objects with their GATT services and
# characteristics (org.bluez.GattService1, GattCharacteristic1) added as mock objects.
# Notifications and indications are PropertiesChanged(Value) on the characteristic,
# as bluetoothd emits them. Technique from /work/shared/recipes/ble-dbusmock (proven
# on this machine). Used by ble_gatt.py and the service screen test.
import os
import subprocess
import time

import dbus
import dbusmock

DEVICE_IF = 'org.bluez.Device1'
SVC_IF = 'org.bluez.GattService1'
CHR_IF = 'org.bluez.GattCharacteristic1'
OM_IF = 'org.freedesktop.DBus.ObjectManager'


def uuid128(u16):
    """Bluetooth Base UUID (Core 5.3 Vol 3 Part B 2.5.1) with a 16-bit assigned number."""
    return '0000%04x-0000-1000-8000-00805f9b34fb' % u16


class Bluez:
    """A private bus with the bluez5 template and adapter hci0."""

    def __init__(self):
        self.bus_proc = subprocess.Popen(
            ['dbus-daemon', '--session', '--nofork', '--print-address=1'],
            stdout=subprocess.PIPE, text=True)
        self.address = self.bus_proc.stdout.readline().strip()
        os.environ['DBUS_SYSTEM_BUS_ADDRESS'] = self.address
        self.mock_proc = subprocess.Popen(
            ['/usr/bin/python3', '-m', 'dbusmock', '--system', '--template', 'bluez5'],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.con = dbus.bus.BusConnection(self.address)
        for _ in range(200):
            if self.con.name_has_owner('org.bluez'):
                break
            time.sleep(0.05)
        self.root = self.con.get_object('org.bluez', '/')
        self.mock = dbus.Interface(self.root, dbusmock.MOCK_IFACE)
        self.root.AddAdapter('hci0', 'cabin', dbus_interface='org.bluez.Mock')

    def close(self):
        for p in (self.mock_proc, self.bus_proc):
            p.terminate()
            try:
                p.wait(5)
            except subprocess.TimeoutExpired:
                p.kill()

    def obj(self, path):
        return self.con.get_object('org.bluez', path)

    def add_instrument(self, address, name, service, chrs, paired=False):
        """A device offering SERVICE (16-bit) with characteristics CHRS [(uuid16,
        flags)]. Connect sets Connected and ServicesResolved (the GATT objects are
        kept, as BlueZ caches them for a bonded device); Pair sets Paired only."""
        path = str(self.root.AddDevice('hci0', address, name, dbus_interface='org.bluez.Mock'))
        dev = self.obj(path)
        dm = dbus.Interface(dev, dbusmock.MOCK_IFACE)
        dm.AddMethod(DEVICE_IF, 'Connect', '', '',
                     'self.UpdateProperties("org.bluez.Device1", {"Connected": dbus.Boolean(True), '
                     '"ServicesResolved": dbus.Boolean(True)})')
        dm.AddMethod(DEVICE_IF, 'Disconnect', '', '',
                     'self.UpdateProperties("org.bluez.Device1", {"Connected": dbus.Boolean(False), '
                     '"ServicesResolved": dbus.Boolean(False)})')
        dm.AddMethod(DEVICE_IF, 'Pair', '', '',
                     'self.UpdateProperties("org.bluez.Device1", {"Paired": dbus.Boolean(True)})')
        dm.UpdateProperties(DEVICE_IF, {
            'UUIDs': dbus.Array([uuid128(service)], signature='s'),
            'Paired': dbus.Boolean(paired)})
        svc = path + '/service0010'
        svc_props = {'UUID': uuid128(service), 'Device': dbus.ObjectPath(path),
                     'Primary': dbus.Boolean(True)}
        self.mock.AddObject(svc, SVC_IF, svc_props, dbus.Array([], signature='(ssss)'))
        self._announce(svc, SVC_IF, svc_props)
        for i, (u, flags) in enumerate(chrs):
            cp = '%s/char%04x' % (svc, 0x11 + 3 * i)
            props = {'UUID': uuid128(u), 'Service': dbus.ObjectPath(svc),
                     'Value': dbus.Array([], signature='y'), 'Notifying': dbus.Boolean(False),
                     'Flags': dbus.Array(flags, signature='s')}
            self.mock.AddObject(cp, CHR_IF, props, [
                ('StartNotify', '', '',
                 'self.UpdateProperties(self.interface, {"Notifying": dbus.Boolean(True)})'),
                ('StopNotify', '', '',
                 'self.UpdateProperties(self.interface, {"Notifying": dbus.Boolean(False)})'),
                ('ReadValue', 'a{sv}', 'ay', 'ret = self.props[self.interface]["Value"]'),
                ('WriteValue', 'aya{sv}', '', ''),
            ])
            self._announce(cp, CHR_IF, props)
        return path

    def _announce(self, path, iface, props):
        # AddObject does not emit InterfacesAdded; bluetoothd would
        self.mock.EmitSignal(OM_IF, 'InterfacesAdded', 'oa{sa{sv}}', [
            dbus.ObjectPath(path),
            dbus.Dictionary({iface: dbus.Dictionary(props, signature='sv')}, signature='sa{sv}')])

    def chr_path(self, dev_path, u16):
        objs = dbus.Interface(self.root, OM_IF).GetManagedObjects()
        for p, ifs in objs.items():
            if p.startswith(dev_path + '/') and CHR_IF in ifs and ifs[CHR_IF]['UUID'] == uuid128(u16):
                return str(p)
        raise KeyError('%s has no characteristic 0x%04X' % (dev_path, u16))

    def notify(self, dev_path, u16, payload):
        """One notification or indication of PAYLOAD (bytes) on characteristic U16."""
        cp = self.chr_path(dev_path, u16)
        dbus.Interface(self.obj(cp), dbusmock.MOCK_IFACE).EmitSignal(
            dbus.PROPERTIES_IFACE, 'PropertiesChanged', 'sa{sv}as', [
                CHR_IF, dbus.Dictionary({'Value': dbus.ByteArray(payload)}, signature='sv'),
                dbus.Array([], signature='s')])

    def calls(self, path, method):
        return dbus.Interface(self.obj(path), dbusmock.MOCK_IFACE).GetMethodCalls(method)

    def set_device(self, dev_path, **props):
        dbus.Interface(self.obj(dev_path), dbusmock.MOCK_IFACE).UpdateProperties(
            DEVICE_IF, {k: dbus.Boolean(v) for k, v in props.items()})

    def remove(self, dev_path):
        self.obj('/org/bluez/hci0').RemoveDevice(dbus.ObjectPath(dev_path),
                                                 dbus_interface='org.bluez.Adapter1')
