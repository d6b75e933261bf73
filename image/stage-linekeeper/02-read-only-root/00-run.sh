#!/bin/bash -e
# Optional read-only root (scripts/build-image.sh --read-only-root): overlayroot from the
# archive (what raspi-config's overlay option uses) and the linekeeper-read-only-root helper.
# Nothing is switched on at build time: the helper needs the state partition, see its header.
if [ "${LINEKEEPER_READ_ONLY_ROOT:-0}" != "1" ]; then
	echo "stage-linekeeper: read-only root not requested; skipped"
	exit 0
fi
install -m 0755 files/linekeeper-read-only-root "${ROOTFS_DIR}/usr/local/sbin/linekeeper-read-only-root"
on_chroot <<-EOC
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends overlayroot
EOC
