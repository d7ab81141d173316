/* media_still.h — exam-camera stills: one captured frame, at the camera's full
 * resolution, encoded as a baseline JPEG by FFmpeg's mjpeg encoder, with its
 * SHA-256 so the record can prove the image arrived intact. */
#ifndef CABIN_MEDIA_STILL_H
#define CABIN_MEDIA_STILL_H

#include <stddef.h>
#include <stdint.h>

struct AVFrame;

/* A JPEG still (owned by the receiver of the struct; see _free). */
struct cab_media_still {
	uint8_t *jpeg;      /* JFIF bytes, malloc'd */
	size_t len;         /* bytes */
	uint8_t sha256[32]; /* SHA-256 of jpeg (FIPS 180-4) */
	int width, height;  /* pixels */
	int camera;         /* index of the camera in the sender configuration */
	int is_test;        /* 1 if the test source stood in for the camera */
	int64_t pts_us;     /* capture time on the sender's clock */
};

/* Encodes FRAME (any pixel format) at its own size as JPEG at QUALITY (mjpeg
 * qscale 2..31, 2 best; 0 picks 3) into OUT (jpeg malloc'd, sha256 filled).
 * Returns 0 or a negative AVERROR. */
int cab_media_still_encode(const struct AVFrame *frame, int quality, struct cab_media_still *out);

/* Frees OUT->jpeg and zeroes OUT. */
void cab_media_still_free(struct cab_media_still *out);

#endif
