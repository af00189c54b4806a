"""Banners and headers → (product, version, distribution hint)."""

from __future__ import annotations

from auditor.checks.patching.normalise import (
    debian_release, from_nmap, parse_generator, parse_greeting, parse_product_tokens, parse_ssh_banner,
)


def test_openssh_debian_banner_gives_package_version_and_release() -> None:
    observed = parse_ssh_banner("SSH-2.0-OpenSSH_8.4p1 Debian-5+deb11u1")
    assert observed is not None
    assert (observed.product, observed.version, observed.distro) == ("openssh", "8.4p1", "debian")
    assert (observed.package_version, observed.distro_release) == ("8.4p1-5+deb11u1", "11")


def test_openssh_plain_ubuntu_and_windows_banners() -> None:
    plain = parse_ssh_banner("SSH-2.0-OpenSSH_7.4")
    assert plain and (plain.version, plain.distro, plain.package_version) == ("7.4", None, None)
    ubuntu = parse_ssh_banner("SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6")
    assert ubuntu and (ubuntu.distro, ubuntu.package_version, ubuntu.distro_release) == ("ubuntu", "8.9p1-3ubuntu0.6", None)
    windows = parse_ssh_banner("SSH-2.0-OpenSSH_for_Windows_8.1")
    assert windows and (windows.product, windows.version) == ("openssh", "8.1")
    assert parse_ssh_banner("220 not ssh") is None


def test_server_header_tokens_share_the_distribution_comment() -> None:
    found = parse_product_tokens("Apache/2.4.41 (Ubuntu) OpenSSL/1.1.1f PHP/7.4.3", source="http:server")
    assert [(o.product, o.version, o.distro) for o in found] == [
        ("apache_httpd", "2.4.41", "ubuntu"), ("openssl", "1.1.1f", "ubuntu"), ("php", "7.4.3", "ubuntu")]
    bare = parse_product_tokens("Apache/2.2.15", source="http:server")
    assert [(o.product, o.version, o.distro) for o in bare] == [("apache_httpd", "2.2.15", None)]
    iis = parse_product_tokens("Microsoft-IIS/8.5", source="http:server")
    assert (iis[0].product, iis[0].version) == ("iis", "8.5")
    hidden = parse_product_tokens("nginx", source="http:server")
    assert (hidden[0].product, hidden[0].version) == ("nginx", None)


def test_php_debian_revision_in_x_powered_by() -> None:
    [php] = parse_product_tokens("PHP/7.4.33-1+deb11u4", source="http:x-powered-by")
    assert (php.version, php.package_version, php.distro, php.distro_release) == ("7.4.33", "7.4.33-1+deb11u4", "debian", "11")


def test_generators_and_greetings() -> None:
    wordpress = parse_generator("WordPress 4.9.8")
    assert wordpress and (wordpress.product, wordpress.version) == ("wordpress", "4.9.8")
    drupal = parse_generator("Drupal 7 (https://www.drupal.org)")
    assert drupal and (drupal.product, drupal.version) == ("drupal", "7")
    joomla = parse_generator("Joomla! - Open Source Content Management")
    assert joomla and (joomla.product, joomla.version) == ("joomla", None)
    exim = parse_greeting("220 mail.gmina.pl ESMTP Exim 4.89 #2 Mon, 01 Jan 2024", source="smtp:banner")
    assert exim and (exim.product, exim.version) == ("exim", "4.89")
    vsftpd = parse_greeting("220 (vsFTPd 3.0.3)", source="ftp:banner")
    assert vsftpd and (vsftpd.product, vsftpd.version) == ("vsftpd", "3.0.3")


def test_nmap_service_detection() -> None:
    ssh = from_nmap({"port": 22, "product": "OpenSSH", "version": "8.4p1 Debian 5+deb11u1", "extrainfo": "protocol 2.0"})
    assert ssh and (ssh.package_version, ssh.distro_release, ssh.source) == ("8.4p1-5+deb11u1", "11", "nmap")
    apache = from_nmap({"port": 80, "product": "Apache httpd", "version": "2.2.15", "extrainfo": "(CentOS)"})
    assert apache and (apache.product, apache.version, apache.distro) == ("apache_httpd", "2.2.15", "centos")
    assert from_nmap({"port": 80, "service": "http"}) is None


def test_debian_release_from_revision() -> None:
    assert debian_release("1:9.2p1-2+deb12u3") == "12"
    assert debian_release("2.15.0-1~deb10u1") == "10"
    assert debian_release("0.105-31") is None


def test_exchange_release_from_owa_header() -> None:
    from auditor.checks.patching.normalise import parse_header

    [exchange] = parse_header("X-OWA-Version", "15.1.2507.6")
    assert (exchange.product, exchange.version) == ("exchange", "2016")
    [subscription] = parse_header("X-OWA-Version", "15.2.2562.17")
    assert subscription.version == "subscription"
    [aspnet] = parse_header("X-AspNet-Version", "4.0.30319")
    assert (aspnet.product, aspnet.version) == ("aspnet", "4.0.30319")
