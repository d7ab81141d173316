/* doctor_cert.h — who a client certificate belongs to: a doctor (the console) or a
 * cabin (the link). A doctor's certificate, like the CPS / e-CPS certificates of
 * French health professionals, names the person in its subject: OU "doctor" (the
 * role), CN (the name), serialNumber (the RPPS number, 11 digits with a Luhn key, as
 * the ANS's RPPS register writes it) and title (the specialty). Pure: no I/O. */
#ifndef CABIN_DOCTOR_CERT_H
#define CABIN_DOCTOR_CERT_H

#include "doctor/station.h"

#include <openssl/x509.h>
#include <stddef.h>

/* 1 when the 11 characters of S are digits whose Luhn sum is a multiple of 10 (the
 * RPPS number's key), 0 otherwise (any other length too). */
int doctor_rpps_valid(const char *s);

/* Reads the doctor of certificate PEER (a verified chain is the caller's job).
 * Returns 1 with OUT filled when the subject has OU=doctor, a CN and a valid RPPS;
 * 0 when it is not a doctor's certificate (no OU=doctor: a cabin's); -1 when it says
 * doctor but its RPPS or name is missing or wrong (WHY, N bytes, says which). */
int doctor_cert_identity(X509 *peer, struct cab_station_doctor *out, char *why, size_t n);

#endif
