#!/usr/bin/env python3
"""The dynamic symbols of libsgae.so are exactly the public API.

usage: exports.py [--skip NAME.h]... NM LIBSGAE_SO HEADER_OR_DIR...

Parses every public header given (directories: every *.h in them) for the
declarations marked SGAE_API, runs `NM -D --defined-only` on the shared
library, and fails when a symbol is exported that no header declares with
SGAE_API, when a declared one is missing, or when a declared name does not
start with sgae_.  New headers and functions need no change here.
--skip NAME.h leaves out an optional header whose part of the library was
not built (sgae/dist.h without MPI).
"""
import os
import re
import subprocess
import sys


def strip(text):
    """Comments, string literals and preprocessor lines blanked (newlines
    kept, so that line numbers still hold)."""
    keep_lines = lambda m: '\n' * m.group(0).count('\n') or ' '
    text = re.sub(r'/\*.*?\*/', keep_lines, text, flags=re.S)
    text = re.sub(r'//[^\n]*', ' ', text)
    text = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', text)
    lines, cont = [], False
    for l in text.split('\n'):
        pre = cont or l.lstrip().startswith('#')
        cont = pre and l.endswith('\\')
        lines.append('' if pre else l)
    return '\n'.join(lines)


def declared(path):
    """Names declared with SGAE_API in one header: {name: path:line}."""
    text = strip(open(path, encoding='utf-8').read())
    out = {}
    for m in re.finditer(r'\bSGAE_API\b', text):
        end = len(text)
        for stop in (';', '{'):
            k = text.find(stop, m.end())
            if k >= 0:
                end = min(end, k)
        decl = text[m.end():end]
        line = text.count('\n', 0, m.start()) + 1
        where = '%s:%d' % (path, line)
        if re.search(r'\bstatic\b', decl):
            sys.exit('%s: SGAE_API on a static declaration' % where)
        paren = decl.find('(')
        head = decl[:paren] if paren >= 0 else re.split(r'[\[=]', decl)[0]
        names = re.findall(r'[A-Za-z_]\w*', head)
        if not names:
            sys.exit('%s: cannot find the name after SGAE_API' % where)
        out[names[-1]] = where
    return out


def main():
    args, skip = sys.argv[1:], set()
    while len(args) >= 2 and args[0] == '--skip':
        skip.add(args[1])
        args = args[2:]
    if len(args) < 3:
        sys.exit(__doc__)
    nm, lib, paths = args[0], args[1], args[2:]
    headers = []
    for p in paths:
        if os.path.isdir(p):
            headers += sorted(os.path.join(p, f) for f in os.listdir(p) if f.endswith('.h'))
        else:
            headers.append(p)
    headers = [h for h in headers if os.path.basename(h) not in skip]
    want = {}
    for h in headers:
        want.update(declared(h))
    res = subprocess.run([nm, '-D', '--defined-only', lib], capture_output=True, text=True)
    if res.returncode != 0:
        sys.exit('%s failed: %s' % (nm, res.stderr.strip()))
    have = {}
    for line in res.stdout.splitlines():
        f = line.split()
        if len(f) >= 2:
            have[f[-1].split('@')[0]] = f[-2]
    bad = 0
    for n in sorted(want):
        if not n.startswith('sgae_'):
            print('declared with SGAE_API but not named sgae_*: %s (%s)' % (n, want[n]))
            bad += 1
        if n not in have:
            print('declared with SGAE_API but not exported: %s (%s)' % (n, want[n]))
            bad += 1
    for n in sorted(set(have) - set(want)):
        print('exported but not declared with SGAE_API: %s (type %s)' % (n, have[n]))
        bad += 1
    print('%d headers, %d SGAE_API declarations, %d exported symbols, %d problems'
          % (len(headers), len(want), len(have), bad))
    # a parser that found nothing would pass an empty library
    if not want or 'sgae_version' not in want:
        print('the headers gave no SGAE_API declarations (or no sgae_version): parser broken?')
        bad += 1
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
