/* print_cups.c — one job to one CUPS destination: the destination is looked up
 * (cupsGetNamedDest), its state and state reasons checked (RFC 8011 printer-state,
 * printer-state-reasons: media-empty, media-needed, offline-report, shutdown), the job
 * created and its document streamed (cupsCreateDestJob, cupsStartDestDocument,
 * cupsWriteRequestData, cupsFinishDestDocument), then followed until CUPS has it
 * completed or aborted. */
#include "kiosk/print/print_cups.h"

#include <cups/cups.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

const char *cab_print_err_name(enum cab_print_err e)
{
	switch (e) {
	case CAB_PRINT_OK:
		return "printed";
	case CAB_PRINT_NO_PRINTER:
		return "no printer";
	case CAB_PRINT_OFFLINE:
		return "printer offline";
	case CAB_PRINT_NO_PAPER:
		return "out of paper";
	case CAB_PRINT_FAILED:
		break;
	}
	return "printing failed";
}

static enum cab_print_err dest_state(cups_dest_t *d, char *detail, size_t n)
{
	const char *state = cupsGetOption("printer-state", d->num_options, d->options);
	const char *reasons = cupsGetOption("printer-state-reasons", d->num_options, d->options);
	if (reasons && (strstr(reasons, "media-empty") || strstr(reasons, "media-needed"))) {
		snprintf(detail, n, "printer %s: %s", d->name, reasons);
		return CAB_PRINT_NO_PAPER;
	}
	if ((state && !strcmp(state, "5")) ||
	    (reasons && (strstr(reasons, "offline") || strstr(reasons, "shutdown") ||
	                 strstr(reasons, "paused")))) {
		snprintf(detail, n, "printer %s: stopped (%s)", d->name, reasons ? reasons : "");
		return CAB_PRINT_OFFLINE;
	}
	const char *acc = cupsGetOption("printer-is-accepting-jobs", d->num_options, d->options);
	if (acc && !strcmp(acc, "false")) {
		snprintf(detail, n, "printer %s: not accepting jobs", d->name);
		return CAB_PRINT_OFFLINE;
	}
	return CAB_PRINT_OK;
}

enum cab_print_err cab_print_submit(const char *printer, const char *title, const char *type,
                                    const char *data, size_t len, char *detail, size_t n)
{
	enum cab_print_err rc = CAB_PRINT_FAILED;
	cups_dinfo_t *info = NULL;
	int job = 0;
	detail[0] = '\0';
	cups_dest_t *d = cupsGetNamedDest(CUPS_HTTP_DEFAULT, printer && *printer ? printer : NULL,
	                                  NULL);
	if (!d) {
		/* absent from a server that answered, or no answer at all (libcups says "not
		 * found" for both: a connection tells them apart) */
		http_t *h = httpConnect2(cupsServer(), ippPort(), NULL, AF_UNSPEC, cupsEncryption(),
		                         1, 5000, NULL);
		int absent = h != NULL;
		httpClose(h);
		snprintf(detail, n, "%s", absent ? "no such printer" : "print server unreachable");
		return absent ? CAB_PRINT_NO_PRINTER : CAB_PRINT_OFFLINE;
	}
	if ((rc = dest_state(d, detail, n)) != CAB_PRINT_OK)
		goto out;
	rc = CAB_PRINT_FAILED;
	info = cupsCopyDestInfo(CUPS_HTTP_DEFAULT, d);
	if (!info) {
		snprintf(detail, n, "printer %s: %s", d->name, cupsLastErrorString());
		rc = CAB_PRINT_OFFLINE;
		goto out;
	}
	cups_option_t *opts = NULL;
	int nopt = cupsAddOption("job-retain-until", "none", 0, &opts);
	if (cupsCreateDestJob(CUPS_HTTP_DEFAULT, d, info, &job, title, nopt, opts) !=
	    IPP_STATUS_OK) {
		cupsFreeOptions(nopt, opts);
		snprintf(detail, n, "printer %s refused the job: %s", d->name, cupsLastErrorString());
		goto out;
	}
	cupsFreeOptions(nopt, opts);
	if (cupsStartDestDocument(CUPS_HTTP_DEFAULT, d, info, job, title, type, 0, NULL, 1) !=
	        HTTP_STATUS_CONTINUE ||
	    cupsWriteRequestData(CUPS_HTTP_DEFAULT, data, len) != HTTP_STATUS_CONTINUE ||
	    cupsFinishDestDocument(CUPS_HTTP_DEFAULT, d, info) != IPP_STATUS_OK) {
		snprintf(detail, n, "printer %s: %s", d->name, cupsLastErrorString());
		cupsCancelDestJob(CUPS_HTTP_DEFAULT, d, job);
		goto out;
	}
	/* follow the job for up to 60 s: completed, or why not */
	for (int i = 0; i < 600; i++) {
		cups_job_t *jobs = NULL;
		int nj = cupsGetJobs2(CUPS_HTTP_DEFAULT, &jobs, d->name, 0, CUPS_WHICHJOBS_ALL);
		ipp_jstate_t st = IPP_JSTATE_PENDING;
		for (int k = 0; k < nj; k++)
			if (jobs[k].id == job)
				st = jobs[k].state;
		cupsFreeJobs(nj, jobs);
		if (st == IPP_JSTATE_COMPLETED) {
			rc = CAB_PRINT_OK;
			goto out;
		}
		if (st == IPP_JSTATE_ABORTED || st == IPP_JSTATE_CANCELED) {
			snprintf(detail, n, "printer %s: job %d %s", d->name, job,
			         st == IPP_JSTATE_ABORTED ? "aborted" : "canceled");
			goto out;
		}
		if (st == IPP_JSTATE_STOPPED) {
			cups_dest_t *again = cupsGetNamedDest(CUPS_HTTP_DEFAULT, d->name, NULL);
			enum cab_print_err e = again ? dest_state(again, detail, n) : CAB_PRINT_OFFLINE;
			cupsFreeDests(1, again);
			rc = e == CAB_PRINT_OK ? CAB_PRINT_FAILED : e;
			if (!detail[0])
				snprintf(detail, n, "printer %s: job %d stopped", d->name, job);
			goto out; /* the job stays queued: it prints when the printer is back */
		}
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	snprintf(detail, n, "printer %s: job %d not done after 60 s", d->name, job);
out:
	cupsFreeDestInfo(info);
	cupsFreeDests(1, d);
	return rc;
}
