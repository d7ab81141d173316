/* log_export.c — encrypted log archive: ustar + CMS AuthEnvelopedData AES-256-GCM
 * with a password recipient (see log_export.h). */
#include "kiosk/service/log_export.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <openssl/cms.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "atomic_file.h"
#include "ustar.h"
#include "log.h"

/* Reads at most CAB_EXPORT_FILE_MAX bytes from the end of PATH into *DATA. */
static int read_tail(const char *path, uint8_t **data, size_t *len, int64_t *mtime)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	size_t want, got = 0;
	*data = NULL;
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		rc = -EINVAL;
		goto out;
	}
	want = (size_t)st.st_size;
	if (want > CAB_EXPORT_FILE_MAX) {
		if (lseek(fd, (off_t)(want - CAB_EXPORT_FILE_MAX), SEEK_SET) < 0) {
			rc = -errno;
			goto out;
		}
		want = CAB_EXPORT_FILE_MAX;
	}
	*data = malloc(want ? want : 1);
	if (!*data) {
		rc = -ENOMEM;
		goto out;
	}
	while (got < want) {
		ssize_t r = read(fd, *data + got, want - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break; /* the file shrank: keep what was read */
		got += (size_t)r;
	}
	*len = got;
	*mtime = st.st_mtime;
out:
	if (rc) {
		free(*data);
		*data = NULL;
	}
	close(fd);
	return rc;
}

/* Encrypts IN (LEN bytes) into DER CMS AuthEnvelopedData; *OUT is OPENSSL_malloc'd. */
static int encrypt_cms(const uint8_t *in, size_t len, const char *pass, unsigned iter,
                       unsigned char **out, int *outlen)
{
	int rc = -EIO;
	BIO *bio = NULL;
	unsigned char *pw = NULL;
	CMS_ContentInfo *cms = CMS_AuthEnvelopedData_create(EVP_aes_256_gcm());
	if (!cms)
		goto out;
	/* CMS takes ownership of the password buffer (hence "add0"). */
	pw = (unsigned char *)OPENSSL_strdup(pass);
	if (!pw)
		goto out;
	if (!CMS_add0_recipient_password(cms, (int)iter, NID_id_alg_PWRI_KEK, NID_id_pbkdf2, pw,
	                                 (ossl_ssize_t)strlen(pass), EVP_aes_256_cbc())) {
		OPENSSL_clear_free(pw, strlen(pass));
		goto out;
	}
	bio = BIO_new_mem_buf(in, (int)len);
	if (!bio || !CMS_set_detached(cms, 0) || !CMS_final(cms, bio, NULL, CMS_BINARY))
		goto out;
	*outlen = i2d_CMS_ContentInfo(cms, out);
	if (*outlen <= 0)
		goto out;
	rc = 0;
out:
	if (rc) {
		unsigned long e = ERR_get_error();
		cab_err("service", "log export: CMS encryption failed: %s",
		        e ? ERR_reason_error_string(e) : "unknown");
		ERR_clear_error();
	}
	BIO_free(bio);
	CMS_ContentInfo_free(cms);
	return rc;
}

int cab_logs_export(const char *const *paths, size_t n, const char *dest, const char *passphrase,
                    unsigned iter, const struct cab_svc_audit *audit,
                    struct cab_export_stats *stats, enum cab_secret_problem *problem)
{
	struct cab_ustar tar = {0};
	struct cab_export_stats st = {0};
	enum cab_secret_problem dummy;
	unsigned char *der = NULL;
	int derlen = 0, rc;
	char dcopy[1024], ncopy[1024];

	if (!problem)
		problem = &dummy;
	*problem = cab_secret_check(CAB_ROLE_TECHNICIAN, passphrase);
	if (*problem != CAB_SECRET_OK || n == 0 || n > CAB_EXPORT_FILES_MAX)
		return -EINVAL;
	if (!iter)
		iter = CAB_EXPORT_PBKDF2_ITER;
	if (snprintf(dcopy, sizeof dcopy, "%s", dest) >= (int)sizeof dcopy)
		return -ENAMETOOLONG;
	snprintf(ncopy, sizeof ncopy, "%s", dest);

	for (size_t i = 0; i < n; i++) {
		uint8_t *data;
		size_t len = 0;
		int64_t mtime = 0;
		char pcopy[1024], name[128];
		if (read_tail(paths[i], &data, &len, &mtime))
			continue;
		snprintf(pcopy, sizeof pcopy, "%s", paths[i]);
		snprintf(name, sizeof name, "cabin-logs/%.80s", basename(pcopy));
		rc = cab_ustar_add(&tar, name, data, len, mtime);
		free(data);
		if (rc)
			goto out;
		st.files++;
	}
	if (!st.files) {
		rc = -ENOENT;
		goto out;
	}
	if ((rc = cab_ustar_finish(&tar)))
		goto out;
	st.tar_bytes = tar.len;
	if ((rc = encrypt_cms(tar.buf, tar.len, passphrase, iter, &der, &derlen)))
		goto out;
	if ((rc = cab_atomic_write(dirname(dcopy), basename(ncopy), der, (size_t)derlen)))
		goto out;
	st.out_bytes = (size_t)derlen;
	cab_svc_audit_emitf(audit, CAB_ROLE_TECHNICIAN, "logs.exported", "files=%u bytes=%zu",
	                    st.files, st.out_bytes);
out:
	if (rc)
		cab_err("service", "log export failed: %s", strerror(-rc));
	if (stats)
		*stats = st;
	OPENSSL_free(der);
	if (tar.buf)
		OPENSSL_cleanse(tar.buf, tar.len);
	cab_ustar_free(&tar);
	return rc;
}
