#!/bin/bash -e
# Inside the image (pi-gen pipes this into its chroot): the same installer a technician runs
# on a running Pi, so the image and a hand install cannot drift apart. systemd is not running
# here, so install.sh installs and enables the units without starting them.
/tmp/linekeeper-bundle/scripts/install.sh --bundle /tmp/linekeeper-bundle --no-start
rm -rf /tmp/linekeeper-bundle

# An appliance is reached from the LAN: the admin page over HTTPS with the certificate made
# at first boot (its fingerprint shows on the console). install.sh keeps an existing config,
# so this only adds what it lacks.
config=/etc/linekeeper/config.yaml
if ! grep -q '^web:' "${config}"; then
	cat >>"${config}" <<'YAML'
# The image serves the admin page to the LAN over HTTPS (self-signed; compare the fingerprint
# printed at first boot). See /opt/linekeeper/examples/config.yaml for every key.
web:
  host: 0.0.0.0
  port: 8443
  https:
    enabled: true
YAML
fi
/usr/local/bin/linekeeper check-config "${config}"
