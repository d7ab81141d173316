/* print_cups.h — sends a document to the pharmacy's printer through CUPS (libcups,
 * the destination API of CUPS 2.x) and tells what went wrong in words the patient and
 * the pharmacist understand. Blocking: call it off the main thread. */
#ifndef CABIN_PRINT_CUPS_H
#define CABIN_PRINT_CUPS_H

#include <stddef.h>

/* Why a document did not print. */
enum cab_print_err {
	CAB_PRINT_OK = 0,
	CAB_PRINT_NO_PRINTER,   /* no such destination on the CUPS server */
	CAB_PRINT_OFFLINE,      /* stopped, offline or unreachable */
	CAB_PRINT_NO_PAPER,     /* printer-state-reasons media-empty / media-needed */
	CAB_PRINT_FAILED,       /* the job was refused or could not be sent */
};

/* Prints DATA[LEN] (MIME type TYPE, e.g. "application/postscript") on PRINTER ("" =
 * the default destination) as a job titled TITLE (no personal data: it shows in the
 * queue). The job is sent from memory: the cabin writes no spool file of its own, and
 * asks CUPS not to keep the job's document once printed (job-retain-until none per
 * PWG 5100.7 is honoured where supported; the test's cupsd keeps no files). DETAIL
 * (N bytes) gets the reason. */
enum cab_print_err cab_print_submit(const char *printer, const char *title, const char *type,
                                    const char *data, size_t len, char *detail, size_t n);

/* "no printer", "printer offline", "out of paper", "printing failed", "printed". */
const char *cab_print_err_name(enum cab_print_err e);

#endif
