#!/bin/bash -e
# On the build host: put the release made by scripts/make-release.sh (copied here by
# scripts/build-image.sh) into the image's /tmp, unpacked, for 02-run-chroot.sh.
release="files/linekeeper-release.tar.gz"
if [ ! -f "${release}" ]; then
	echo "stage-linekeeper: ${PWD}/${release} is missing; run scripts/build-image.sh, not pi-gen alone" >&2
	exit 1
fi
rm -rf "${ROOTFS_DIR}/tmp/linekeeper-bundle"
install -d -m 0755 "${ROOTFS_DIR}/tmp/linekeeper-bundle"
tar -xzf "${release}" -C "${ROOTFS_DIR}/tmp/linekeeper-bundle" --strip-components=1 --no-same-owner
