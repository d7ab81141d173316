/* doctor_cert.c — a doctor's identity from the subject of a client certificate
 * (doctor_cert.h). */
#include "doctor/doctor_cert.h"

#include <stdio.h>
#include <string.h>

int doctor_rpps_valid(const char *s)
{
	if (!s || strlen(s) != 11)
		return 0;
	int sum = 0;
	for (int i = 10, k = 0; i >= 0; i--, k++) {
		if (s[i] < '0' || s[i] > '9')
			return 0;
		int d = s[i] - '0';
		if (k % 2 == 1 && (d *= 2) > 9)
			d -= 9;
		sum += d;
	}
	return sum % 10 == 0;
}

/* The UTF-8 text of the first NID entry of NAME into OUT (N bytes); 0, or -1 when
 * absent, too long or holding a control character. */
static int entry(X509_NAME *name, int nid, char *out, size_t n)
{
	int i = X509_NAME_get_index_by_NID(name, nid, -1);
	if (i < 0)
		return -1;
	unsigned char *u = NULL;
	int len = ASN1_STRING_to_UTF8(&u, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i)));
	int rc = -1;
	if (len > 0 && (size_t)len < n) {
		rc = 0;
		for (int k = 0; k < len; k++)
			if (u[k] < 0x20 || u[k] == 0x7f)
				rc = -1;
		if (!rc)
			memcpy(out, u, (size_t)len), out[len] = 0;
	}
	OPENSSL_free(u);
	return rc;
}

int doctor_cert_identity(X509 *peer, struct cab_station_doctor *out, char *why, size_t n)
{
	char ou[64];
	X509_NAME *name = peer ? X509_get_subject_name(peer) : NULL;
	if (!name || entry(name, NID_organizationalUnitName, ou, sizeof ou) ||
	    strcmp(ou, "doctor")) {
		snprintf(why, n, "not a doctor's certificate (no OU=doctor)");
		return 0;
	}
	struct cab_station_doctor d;
	memset(&d, 0, sizeof d);
	if (entry(name, NID_commonName, d.name, sizeof d.name) || !d.name[0]) {
		snprintf(why, n, "doctor's certificate without a name (CN)");
		return -1;
	}
	if (entry(name, NID_serialNumber, d.rpps, sizeof d.rpps) || !doctor_rpps_valid(d.rpps)) {
		snprintf(why, n, "doctor's certificate without a valid RPPS number (serialNumber)");
		return -1;
	}
	if (entry(name, NID_title, d.specialty, sizeof d.specialty))
		d.specialty[0] = 0;
	*out = d;
	return 1;
}
