#!/bin/bash -e
install -d -m 0755 "${ROOTFS_DIR}/etc/systemd/journald.conf.d"
install -m 0644 files/10-linekeeper.conf "${ROOTFS_DIR}/etc/systemd/journald.conf.d/10-linekeeper.conf"
