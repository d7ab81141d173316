/* turn_rest.c — coturn's shared-secret REST credentials (turn_rest.h). */
#include "turn_rest.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>

int cab_turn_rest_credentials(const char *secret, const char *user, int64_t now, int64_t ttl_s,
                              char username[CAB_TURN_USER_MAX], char credential[CAB_TURN_CRED_MAX])
{
	if (!secret || !secret[0] || !user || strchr(user, ':') || ttl_s <= 0)
		return -1;
	int n = user[0] ? snprintf(username, CAB_TURN_USER_MAX, "%lld:%s", (long long)(now + ttl_s),
	                           user)
	                : snprintf(username, CAB_TURN_USER_MAX, "%lld", (long long)(now + ttl_s));
	if (n <= 0 || n >= CAB_TURN_USER_MAX)
		return -1;
	unsigned char mac[EVP_MAX_MD_SIZE];
	unsigned int mac_len = 0;
	if (!HMAC(EVP_sha1(), secret, (int)strlen(secret), (const unsigned char *)username,
	          (size_t)n, mac, &mac_len) ||
	    mac_len != 20)
		return -1;
	/* 20 bytes -> 28 base64 characters + NUL */
	if (EVP_EncodeBlock((unsigned char *)credential, mac, (int)mac_len) != 28)
		return -1;
	return 0;
}
