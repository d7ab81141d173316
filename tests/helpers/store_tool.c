/* store_tool.c — drives the store from the test scripts of tests/store/:
 *   store_tool populate DIR N   N sessions (identity, reading, aborted) -> prints the
 *                               audit row count
 *   store_tool fill DIR         writes readings until the store refuses; prints
 *                               "full: MESSAGE" (exit 3) or "error: MESSAGE" (exit 1)
 *   store_tool open DIR         opens and closes; prints "ok" or "error: MESSAGE" */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kiosk/store/store.h"
#include "log.h"
#include "store_testlib.h"

static struct cab_store *open_or_die(const char *dir)
{
	struct cab_store_options o = {.data_dir = dir};
	struct cab_store *st = NULL;
	char msg[400];
	if (cab_store_open(&o, &st, msg, sizeof msg)) {
		printf("error: %s\n", msg);
		exit(1);
	}
	return st;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: store_tool populate DIR N | fill DIR | open DIR\n");
		return 2;
	}
	cab_log_set_level(CAB_LOG_ERROR);
	struct cab_store *st = open_or_die(argv[2]);
	struct cab_store_identity id;
	struct cab_reading r;
	char sid[37];
	int rc = 0;
	tl_patient(&id);
	tl_reading(&r, 1);
	if (!strcmp(argv[1], "populate") && argc == 4) {
		for (int i = 0; i < atoi(argv[3]); i++)
			if (cab_store_session_begin(st, "fr", sid) || cab_store_identity_put(st, sid, &id) ||
			    cab_store_reading_put(st, sid, &r, NULL) ||
			    cab_store_session_close(st, sid, CAB_OUTCOME_ABORTED, NULL, NULL)) {
				printf("error: %s\n", cab_store_errmsg(st));
				rc = 1;
				break;
			}
		int64_t rows = 0, bad = 0;
		char why[200];
		if (!rc && cab_store_audit_verify(st, &rows, &bad, why, sizeof why) == 0)
			printf("%lld\n", (long long)rows);
	} else if (!strcmp(argv[1], "fill")) {
		int status = cab_store_session_begin(st, "fr", sid);
		while (!status)
			status = cab_store_reading_put(st, sid, &r, NULL);
		printf("%s: %s\n", status == CAB_STORE_FULL ? "full" : "error", cab_store_errmsg(st));
		rc = status == CAB_STORE_FULL ? 3 : 1;
	} else if (!strcmp(argv[1], "open")) {
		printf("ok\n");
	} else {
		fprintf(stderr, "store_tool: unknown command %s\n", argv[1]);
		rc = 2;
	}
	cab_store_close(st);
	return rc;
}
