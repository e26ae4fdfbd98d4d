import { findExpressions, readBody } from './templateExpressions';
import { detectTemplateInjection } from './templateInjectionDetector';

describe('templateExpressions', () => {
  it('finds bodies by delimiter', () => {
    const found = findExpressions("a {{7*7}} b ${x} <%= y %> #set($a = 1)");
    expect(found.map((e) => e.delimiter)).toEqual(['{{', '${', '<%', '#set']);
  });

  it('joins concatenated strings and undoes escapes', () => {
    expect(readBody("''['__cla'+'ss__']").strings).toContain('__class__');
    expect(readBody("attr('\\x5f\\x5fclass\\x5f\\x5f')").strings).toContain('__class__');
  });
});

describe('detectTemplateInjection', () => {
  it.each([
    ['{{7*7}}', 'ssti:curly+probe'],
    ["{{7*'7'}}", 'ssti:curly+probe'],
    ["{{ ''.__class__.__mro__[1].__subclasses__() }}", 'ssti:curly+python'],
    ["{{ request|attr('\\x5f\\x5fclass\\x5f\\x5f') }}", 'ssti:curly+python'],
    ['{% import os %}', 'ssti:statement+statement'],
    ['<#assign ex="freemarker.template.utility.Execute"?new()>${ex("id")}', 'ssti:ftl+java'],
    ["${T(java.lang.Runtime).getRuntime().exec('id')}", 'ssti:dollar+java'],
    ['#set($x = $class.inspect("java.lang.Runtime").type.getRuntime().exec("id"))', 'ssti:velocity+java'],
    ["<%= `id` %>", 'ssti:erb+ruby'],
    ["{system('id')}", 'ssti:smarty+php'],
    ["{{this.constructor.constructor('return process')()}}", 'ssti:curly+node'],
    ['@System.Diagnostics.Process.Start("cmd.exe")', 'ssti:razor+dotnet'],
    ['[=7*7]', 'ssti:ftl+probe'],
    ['{{{7*7}}}', 'ssti:curly+probe'],
    ['${"z".join("ab")}', 'ssti:dollar+probe'],
    ["@php system('id') @endphp", 'ssti:blade+php'],
    ['@Environment.MachineName', 'ssti:razor+dotnet'],
    ["{{lookup (lookup this 'constructor') 'constructor'}}", 'ssti:curly+node'],
    ['${pageContext.request.getSession().setAttribute("admin",true)}', 'ssti:dollar+java'],
    ['${applicationScope}', 'ssti:dollar+java'],
    ['{% load log %}{% get_admin_log 10 as log %}', 'ssti:statement+python'],
    ['{%print(7*7)%}', 'ssti:statement+probe'],
    ['${.data_model}', 'ssti:dollar+probe'],
    ['{{ 7 | times: 7 }}', 'ssti:curly+probe'],
    ['<%= process.env %>', 'ssti:erb+info'],
    ['{{request.META}}', 'ssti:curly+info'],
    ["{fetch file='/etc/passwd'}", 'ssti:smarty+php'],
    ['#{%x(id)}', 'ssti:hash+ruby'],
  ])('%s is %s', (value, fingerprint) => {
    const m = detectTemplateInjection(value);
    expect(m?.fingerprint).toBe(fingerprint);
    expect(m!.confidence).toBeGreaterThanOrEqual(0.6);
  });

  it.each([
    ['{{self}}', 'ssti:curly+probe'],
    ['{{_self}}', 'ssti:curly+probe'],
    ['a{*comment*}b', 'ssti:smarty+probe'],
  ])('reports the engine probe %s at the lowest reported confidence', (value, fingerprint) => {
    const m = detectTemplateInjection(value);
    expect(m?.fingerprint).toBe(fingerprint);
    expect(m!.confidence).toBeGreaterThanOrEqual(0.5);
    expect(m!.confidence).toBeLessThan(0.6);
  });

  it('reports the Go template context dump, but not inside a range or with block that walks the data', () => {
    const m = detectTemplateInjection('{{.}}');
    expect(m?.fingerprint).toBe('ssti:curly+probe');
    expect(m!.confidence).toBeGreaterThanOrEqual(0.5);
    expect(detectTemplateInjection('{{printf "%#v" .}}')?.fingerprint).toBe('ssti:curly+probe');
    expect(detectTemplateInjection('{{ range .Tags }}{{ . }}, {{ end }}')).toBeUndefined();
    expect(detectTemplateInjection('{{ with .Author }}{{ . }}{{ end }}')).toBeUndefined();
  });

  it.each([
    ['{{call .Exec "whoami"}}', 'ssti:curly+exec'],
    ['{{ .System "cat /etc/passwd" }}', 'ssti:curly+exec'],
    ['{{ .Config }}', 'ssti:curly+info'],
    ['{{ index .Secrets "db" }}', 'ssti:curly+info'],
    ['{{define "T1"}}ONE{{end}}{{template "T1"}}', 'ssti:curly+probe'],
    ['{{printf "%s" .Secret}}', 'ssti:curly+info'],
    ['{{printf "%s" "ssti"}}', 'ssti:curly+probe'],
    ['{{#each this}}{{@key}}={{this}} {{/each}}', 'ssti:curly+probe'],
    ['{%print(config)%}', 'ssti:statement+info'],
  ])('reads the Go template action %s', (value, fingerprint) => {
    const m = detectTemplateInjection(value);
    expect(m?.fingerprint).toBe(fingerprint);
    expect(m!.confidence).toBeGreaterThanOrEqual(0.5);
  });

  it.each([
    ['{@math key="7" method="multiply" operand="7"/}', 'ssti:smarty+probe'],
    ['{@if cond="1==1"}yes{/if}', 'ssti:smarty+probe'],
    ["{@if cond=\"eval('require(`child_process`)')\"}{/if}", 'ssti:smarty+node'],
    ['{@contextDump/}', 'ssti:smarty+info'],
    ['{math equation="7*7"}', 'ssti:smarty+probe'],
    ['{7*7}', 'ssti:smarty+probe'],
  ])('reads the single-brace helper or probe %s', (value, fingerprint) => {
    const m = detectTemplateInjection(value);
    expect(m?.fingerprint).toBe(fingerprint);
    expect(m!.confidence).toBeGreaterThanOrEqual(0.55);
  });

  it.each([
    ['<#if 7*7==49>x</#if>', 'ssti:ftl+probe'],
    ['[#assign x=7*7]${x}', 'ssti:ftl+probe'],
    ['<#if true>x</#if>', 'ssti:ftl+probe'],
    ['<#include "/etc/passwd">', 'ssti:ftl+statement'],
    ['${7*7?string}', 'ssti:dollar+probe'],
    ['${(7*7)?c}', 'ssti:dollar+probe'],
    ['${"a"?upper_case}', 'ssti:dollar+probe'],
    ['${object.class.protectionDomain}', 'ssti:dollar+java'],
  ])('reads the FreeMarker probe %s', (value, fingerprint) => {
    const m = detectTemplateInjection(value);
    expect(m?.fingerprint).toBe(fingerprint);
    expect(m!.confidence).toBeGreaterThanOrEqual(0.6);
  });

  it.each([
    ['<%= _.VERSION %>', 'ssti:erb+probe'],
    ['{{= _.templateSettings.evaluate }}', 'ssti:curly+probe'],
    ["_.template('<%= x %>')({x: 1})", 'ssti:erb+node'],
    ['<% print(7*7) %>', 'ssti:erb+probe'],
    ['{{ "%s"|format(7*7) }}', 'ssti:curly+probe'],
    ['{{ 49 | add: 1 }}', 'ssti:curly+probe'],
    ['[[7*7]]', 'ssti:inline+probe'],
    ['@DateTime.Now', 'ssti:razor+probe'],
    ['@{${7*7}}', 'ssti:dollar+probe'],
  ])('reads the lodash, filter and nested probe %s', (value, fingerprint) => {
    const m = detectTemplateInjection(value);
    expect(m?.fingerprint).toBe(fingerprint);
    expect(m!.confidence).toBeGreaterThanOrEqual(0.6);
  });

  it.each([
    'Hello {{name}}',
    '{{ user.first_name | title }}',
    '${amount}',
    '$5.00',
    'a { color: red; }',
    'function add(a, b) { return a + b; }',
    '{"system":"linux","exec":true}',
    '{{ price * qty }}',
    '{2024-05-17}',
    'alice@example.com',
    '$user.name',
    '{{{html_content}}}',
    'src/{*.js,*.ts}',
    '[=]',
    'see [=== notes ===]',
    'ping @php-fpm on the channel',
    'thanks @Environment team',
    '@Environment',
    "${'total'}",
    '{{ page.meta.title }}',
    '{{ price | times: qty }}',
    '${.5}',
    '${pageContext.request.contextPath}/login',
    '${sessionScope.cart.total}',
    // Go (Hugo) templates over data, Dust and Svelte-like tags without helper parameters, FreeMarker directives over data.
    '{{ .Title }}',
    '{{ partial "header.html" . }}',
    '{{ template "base" . }}',
    '{{ range .Pages }}{{ .Title }}{{ end }}',
    '{{ printf "%s" .Title }}',
    '{{#each items}}{{this}}{{/each}}',
    'due @DateTime',
    '{@html content}',
    '{@link MyClass}',
    '<#if user??>Hello ${user.name}</#if>',
    '<#assign total = price * qty>',
    '<#list 1..3 as i>${i}</#list>',
    '<#-- comment -->',
    '${price?string.currency}',
    // Arithmetic and braces in prose, sets and wiki links.
    'Price: {7.99}',
    '{3/4}',
    'Set {x | x > 0}',
    '[[wiki link]]',
    '[[ item.name ]]',
    'The ratio is 7*7 = 49',
    '_.VERSION',
    'Use _.template to compile templates',
    '<%= title %>',
  ])('leaves %s alone', (value) => {
    expect(detectTemplateInjection(value)).toBeUndefined();
  });
});
