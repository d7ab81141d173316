/* print_rx.c — test helper: prints the prescription of a `prescription` link message's
 * object (JSON file) for a patient through CUPS (kiosk/print), or writes its
 * PostScript. Usage: print_rx FILE "PATIENT NAME" BIRTH_DATE PRINTER|--ps OUT.
 * Prints the result name ("printed", "no printer", "printer offline", "out of paper",
 * "printing failed") and the detail; exit 0 when printed, 1 otherwise, 2 on usage. */
#include "kiosk/print/print_cups.h"
#include "kiosk/print/print_doc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 5 || (argc == 6 && strcmp(argv[4], "--ps")) || argc > 6) {
		fprintf(stderr, "usage: print_rx FILE NAME BIRTH_DATE PRINTER|--ps OUT\n");
		return 2;
	}
	json_t *rx = json_load_file(argv[1], 0, NULL);
	size_t len = 0;
	char *ps = rx ? cab_print_prescription(rx, argv[2], argv[3], &len) : NULL;
	json_decref(rx);
	if (!ps) {
		fprintf(stderr, "print_rx: %s: no prescription page\n", argv[1]);
		return 1;
	}
	int rc = 1;
	if (argc == 6) {
		FILE *f = fopen(argv[5], "w");
		rc = !(f && fwrite(ps, 1, len, f) == len && fclose(f) == 0);
	} else {
		char detail[300];
		enum cab_print_err e = cab_print_submit(argv[4], "Cabin prescription",
		                                        "application/postscript", ps, len, detail,
		                                        sizeof detail);
		printf("%s|%s\n", cab_print_err_name(e), detail);
		rc = e != CAB_PRINT_OK;
	}
	free(ps);
	return rc;
}
