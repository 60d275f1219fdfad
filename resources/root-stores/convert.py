#!/usr/bin/env python3
"""Writes resources/root-stores/PROGRAM.json from ../shared/reference/root-stores.

Run from the repository root when a newer snapshot arrives:
    python3 resources/root-stores/convert.py ../shared/reference/root-stores resources/root-stores
The output is checked in (builds do not need the reference data) and installed with the program;
`trustscope-cli roots import DIR` and TRUSTSCOPE_ROOT_STORES=DIR take the same files.

Each file: one root program, every root it has a record of with its status and, where some
snapshot has the certificate, the certificate (DER, base64). The status comes from the CCADB
where the CCADB has a record for the program, else from the program's own PEM snapshot
(listed: Included; in the yaml's blocked_certificates: Blocked).
"""
import base64
import hashlib
import json
import os
import re
import sys

source_dir, out_dir = sys.argv[1], sys.argv[2]


def read_pem(path):
    text = open(path).read()
    blocks = re.findall(r'-----BEGIN CERTIFICATE-----(.*?)-----END CERTIFICATE-----', text, re.S)
    return [base64.b64decode(''.join(block.split())) for block in blocks]


def read_yaml(path):
    """The few keys these yaml files have: scalars, and lists of {subject_name, fingerprint}."""
    meta, lists, current = {}, {}, None
    for line in open(path):
        line = line.rstrip('\n')
        if not line.strip():
            continue
        match = re.match(r'^([a-z_]+):\s*(.*)$', line)
        if match:
            key, value = match.groups()
            if value == '':
                current = lists.setdefault(key, [])
            else:
                meta[key] = None if value == 'null' else value
                current = None
            continue
        item = re.match(r'^- subject_name:\s*(.*)$', line)
        if item and current is not None:
            current.append({'subject_name': item.group(1).strip()})
            continue
        field = re.match(r'^\s+fingerprint:\s*(\S+)$', line)
        if field and current:
            current[-1]['fingerprint'] = field.group(1).lower()
    return meta, lists


# (program, display name, PEM snapshot or None, CCADB status column or None, downloads issuers)
PROGRAMS = [
    ('apple', 'Apple (iOS, iPadOS, macOS)', 'apple', 'Apple Status', True),
    ('android', 'Android (AOSP)', 'google_aosp', None, False),
    ('windows', 'Microsoft Windows', 'microsoft_windows', 'Microsoft Status', True),
    ('chrome', 'Chrome Root Store', None, 'Chrome Status', True),
    ('mozilla', 'Mozilla NSS (Firefox)', 'mozilla_nss', 'Mozilla Status', False),
    ('java', 'Java (OpenJDK cacerts)', 'openjdk', None, False),
]

ccadb_file = json.load(open(os.path.join(source_dir, 'ccadb-roots.json')))
ccadb = {}
for record in ccadb_file['roots']:
    ccadb.setdefault(record['SHA-256 Fingerprint'].lower(), []).append(record)
# The CCADB holds some roots twice with different statuses (no date says which is newer): the
# stricter one wins, so that a verdict never trusts what one record says was removed.
STRICTNESS = ['Blocked', 'Removed', 'Disabled', 'NotBefore', 'Included', 'Not Yet Included', 'Not Included']
ccadb_date = re.search(r'(\d{4}-\d{2}-\d{2})', ccadb_file['source']).group(1)

# Every certificate any snapshot has, by SHA-256: a program's record may be filled from another's PEM.
certificates = {}
snapshots = {}
for _, _, snapshot, _, _ in PROGRAMS:
    if snapshot is None:
        continue
    ders = read_pem(os.path.join(source_dir, snapshot + '.pem'))
    meta, lists = read_yaml(os.path.join(source_dir, snapshot + '.yaml'))
    names = {entry['fingerprint']: entry['subject_name'] for entry in lists.get('trusted_certificates', [])}
    trusted = []
    for der in ders:
        digest = hashlib.sha256(der).hexdigest()
        certificates[digest] = der
        trusted.append(digest)
    if int(meta['trusted_certificates_count']) != len(trusted):
        sys.exit(f'{snapshot}.pem has {len(trusted)} certificates, its yaml says {meta["trusted_certificates_count"]}')
    snapshots[snapshot] = (meta, names, trusted, lists.get('blocked_certificates', []))

os.makedirs(out_dir, exist_ok=True)
for program, name, snapshot, column, fetches_issuers in PROGRAMS:
    roots = {}
    if snapshot is not None:
        meta, names, trusted, blocked = snapshots[snapshot]
        for digest in trusted:
            roots[digest] = {'sha256': digest, 'name': names.get(digest, ''), 'status': 'Included',
                             'statusFrom': 'snapshot'}
        for entry in blocked:
            roots[entry['fingerprint']] = {'sha256': entry['fingerprint'], 'name': entry['subject_name'],
                                           'status': 'Blocked', 'statusFrom': 'snapshot'}
        source = meta['url']
        version = meta.get('version')
        date = meta['date_fetched']
    else:
        source = ccadb_file['source']
        version = None
        date = ccadb_date
    if column is not None:
        for digest, records in ccadb.items():
            statuses = sorted({record[column] for record in records}, key=STRICTNESS.index)
            status, record = statuses[0], records[0]
            if status in ('Not Included', 'Not Yet Included') and digest not in roots:
                continue
            entry = roots.setdefault(digest, {'sha256': digest, 'name': record['Certificate Name']})
            entry['status'] = 'Not Included' if status == 'Not Yet Included' else status
            entry['statusFrom'] = 'ccadb'
            entry['name'] = entry['name'] or record['Certificate Name']
            if len(statuses) > 1:
                entry['note'] = 'the CCADB has records saying ' + ' and '.join(statuses) + '; the stricter is used'
            if record.get('Subject Key Identifier'):
                entry['subjectKeyIdentifier'] = record['Subject Key Identifier']
    for entry in roots.values():
        if entry['sha256'] in certificates:
            entry['der'] = base64.b64encode(certificates[entry['sha256']]).decode()
    document = {
        'format': 'trustscope-root-store',
        'formatVersion': 1,
        'program': program,
        'name': name,
        'source': source,
        'version': version,
        'date': date,
        'statusSource': ccadb_file['source'] if column else None,
        'statusDate': ccadb_date if column else None,
        'downloadsMissingIssuers': fetches_issuers,
        'roots': sorted(roots.values(), key=lambda entry: (entry['name'].lower(), entry['sha256'])),
    }
    with open(os.path.join(out_dir, program + '.json'), 'w') as out:
        json.dump(document, out, indent=1, ensure_ascii=False)
        out.write('\n')
    counts = {}
    for entry in roots.values():
        counts[entry['status']] = counts.get(entry['status'], 0) + 1
    print(program, len(roots), counts, sum(1 for e in roots.values() if 'der' in e), 'with certificates')
