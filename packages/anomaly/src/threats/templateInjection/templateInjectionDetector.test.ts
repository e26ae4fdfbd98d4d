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

  it('reports the Go template context dump weakly', () => {
    expect(detectTemplateInjection('{{.}}')?.confidence).toBeLessThan(0.5);
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
  ])('leaves %s alone', (value) => {
    expect(detectTemplateInjection(value)).toBeUndefined();
  });
});
