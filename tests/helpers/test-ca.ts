import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type TestCertificates = { caPem: string; keyPem: string; certPem: string };

let made: TestCertificates | undefined;

/**
 * A test CA and a leaf certificate it signed for localhost, 127.0.0.1 and ::1, made by openssl
 * once per process and valid one day. Unlike the self-signed certificate of
 * loopback-certificate.ts, a client trusting only `caPem` checks the chain and the name the way
 * it would for a real receiver, so a name mismatch fails as it would in production.
 */
export function testCertificates(): TestCertificates {
  made ??= makeCertificates();
  return made;
}

function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'herald-ca-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  try {
    openssl(
      ...['req', '-x509', ...ec, '-keyout', file('ca-key.pem'), '-out', file('ca.pem'), '-days', '1'],
      ...['-subj', '/CN=Herald test CA', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    );
    openssl('req', ...ec, '-keyout', file('key.pem'), '-out', file('leaf.csr'), '-subj', '/CN=localhost');
    writeFileSync(
      file('leaf.ext'),
      [
        'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
        'basicConstraints=critical,CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth',
        'authorityKeyIdentifier=keyid',
      ].join('\n'),
    );
    openssl(
      ...['x509', '-req', '-in', file('leaf.csr'), '-CA', file('ca.pem'), '-CAkey', file('ca-key.pem')],
      ...['-CAcreateserial', '-out', file('cert.pem'), '-days', '1', '-extfile', file('leaf.ext')],
    );
    const read = (name: string) => readFileSync(file(name), 'utf8');
    return { caPem: read('ca.pem'), keyPem: read('key.pem'), certPem: read('cert.pem') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
