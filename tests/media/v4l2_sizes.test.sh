#!/usr/bin/env bash
# Exam-camera full resolution: kiosk/media/media_v4l2.c enumerates an emulated UVC
# camera (umockdev ioctl handler for /dev/video0) and picks its largest size.
set -uo pipefail
exec umockdev-wrapper "${BUILD:?}/tests/helpers/media_v4l2_probe"
