/* verify_secret.c — checks a secret read from stdin against a PHC string given as
 * argument with common/kdf.c; exit 0 = match, 1 = mismatch, 2 = malformed.
 * Used by tests/service/hash_secret.test.sh to check scripts/hash-secret. */
#include <stdio.h>
#include <string.h>

#include "kdf.h"

int main(int argc, char **argv)
{
	char secret[256];
	if (argc != 2 || !fgets(secret, sizeof secret, stdin))
		return 2;
	secret[strcspn(secret, "\n")] = '\0';
	int v = cab_secret_verify(argv[1], secret);
	return v == 1 ? 0 : v == 0 ? 1 : 2;
}
