/* fhir_record.c — test helper: builds the teleconsultation record (cab_fhir_bundle)
 * from a JSON file {"session", "hello", "doctor", "messages": [...], "record"} and
 * prints the Bundle on stdout. Usage: fhir_record FILE [TIMESTAMP]. Exit 0, 1 on a
 * bad file, 2 on usage. */
#include "kiosk/link/fhir_bundle.h"

#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: fhir_record FILE [TIMESTAMP]\n");
		return 2;
	}
	json_error_t err;
	json_t *f = json_load_file(argv[1], JSON_REJECT_DUPLICATES, &err);
	json_t *msgs = json_object_get(f, "messages");
	if (!f || !json_is_array(msgs)) {
		fprintf(stderr, "fhir_record: %s: %s\n", argv[1], f ? "no \"messages\" array" : err.text);
		json_decref(f);
		return 1;
	}
	size_t n = json_array_size(msgs);
	json_t **arr = calloc(n ? n : 1, sizeof *arr);
	if (!arr)
		return 1;
	for (size_t i = 0; i < n; i++)
		arr[i] = json_array_get(msgs, i);
	struct cab_fhir_bundle_in in = {json_string_value(json_object_get(f, "session")),
	                                json_object_get(f, "hello"),
	                                json_object_get(f, "doctor"),
	                                arr,
	                                n,
	                                json_object_get(f, "record")};
	json_t *b = cab_fhir_bundle(&in, argc == 3 ? argv[2] : "2026-11-29T10:10:01Z");
	int rc = b && json_dumpf(b, stdout, JSON_INDENT(1)) == 0 ? 0 : 1;
	putchar('\n');
	json_decref(b);
	free(arr);
	json_decref(f);
	return rc;
}
