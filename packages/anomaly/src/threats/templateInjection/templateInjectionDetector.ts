/**
 * Server-side template injection for one decoded request value.
 *
 * Every template expression is found by its engine family's delimiters (templateExpressions.ts:
 * `{{ }}`, `{{{ }}}`, `{% %}`, `${ }`, `#{ }`, `*{ }`, `<% %>`, `<# >`, `[# ]`, `[= ]`, `#set( )`,
 * Smarty `{ }`, Blade `@php … @endphp`, Velocity `$a.b()` and Razor `@A.B()` walks) and its body is read into identifiers and string literals (escapes
 * undone, `'__cla'+'ss__'` joined). The judge weighs what the body reaches for, not what it
 * looks like: Python object walks (any dunder), template globals that lead out of the sandbox
 * (config, lipsum, cycler, request|attr), Java reflection and process classes (SpEL `T(...)`,
 * OGNL `@class@`, FreeMarker `?new()`), Node `child_process`, Ruby and PHP process functions,
 * statement tags that import modules, and probes that only make sense to someone asking whether
 * the value is evaluated: arithmetic such as `{{7*7}}`, a literal string's method (`${"z".join("ab")}`),
 * a Smarty comment, the template's own object (`{{self}}`).
 *
 * `{{name}}`, `${amount}` and `{{ user.first_name | title }}` are placeholders and never count;
 * single-brace bodies (CSS, JSON, code) count only in Smarty's unmistakable forms.
 */

import { DOTNET_STATIC, findExpressions, RAZOR_PROBE, readBody, type Expression } from './templateExpressions';
import type { ThreatMatch } from '../threatMatch';

const MAX_JUDGED = 4096;
const MAX_FRAGMENT = 120;
/** Below this a construct is a placeholder or harmless member access, not reported. */
const REPORT = 0.6;

type Family = 'python' | 'java' | 'node' | 'ruby' | 'php' | 'dotnet' | 'exec' | 'info' | 'probe' | 'statement';

/** Identifiers (lowercased) whose presence in an expression body means reaching out of the template. */
const NAMES: ReadonlyMap<string, [number, Family]> = new Map<string, [number, Family]>([
  ['popen', [0.9, 'python']], ['subprocess', [0.9, 'python']], ['builtins', [0.85, 'python']], ['globals', [0.75, 'python']],
  ['getattr', [0.65, 'python']], ['lipsum', [0.7, 'python']], ['cycler', [0.7, 'python']], ['joiner', [0.7, 'python']],
  ['namespace', [0.6, 'python']], ['attr', [0.65, 'python']], ['mro', [0.85, 'python']], ['subclasses', [0.85, 'python']],
  ['get_flashed_messages', [0.7, 'python']], ['url_for', [0.55, 'python']], ['import', [0.6, 'python']],
  ['runtime', [0.85, 'java']], ['getruntime', [0.95, 'java']], ['processbuilder', [0.95, 'java']], ['forname', [0.85, 'java']],
  ['getclass', [0.8, 'java']], ['getclassloader', [0.85, 'java']], ['classloader', [0.85, 'java']],
  ['scriptenginemanager', [0.95, 'java']], ['getenginebyname', [0.9, 'java']], ['getmethod', [0.8, 'java']],
  ['getdeclaredmethod', [0.85, 'java']], ['getdeclaredfield', [0.85, 'java']], ['newinstance', [0.85, 'java']],
  ['_memberaccess', [0.95, 'java']], ['ognlcontext', [0.9, 'java']], ['default_member_access', [0.95, 'java']],
  ['objectconstructor', [0.9, 'java']], ['jythonruntime', [0.9, 'java']], ['execute', [0.6, 'java']],
  ['facescontext', [0.6, 'java']], ['getresource', [0.7, 'java']], ['inspect', [0.6, 'java']], ['getprotectiondomain', [0.85, 'java']],
  ['child_process', [0.95, 'node']], ['mainmodule', [0.9, 'node']], ['execsync', [0.9, 'node']], ['require', [0.6, 'node']],
  ['spawnsync', [0.9, 'node']],
  ['kernel', [0.75, 'ruby']], ['instance_eval', [0.8, 'ruby']], ['class_eval', [0.8, 'ruby']], ['readlines', [0.6, 'ruby']],
  ['passthru', [0.9, 'php']], ['shell_exec', [0.9, 'php']], ['proc_open', [0.9, 'php']], ['phpinfo', [0.8, 'php']],
  ['file_get_contents', [0.85, 'php']], ['readfile', [0.8, 'php']], ['registerundefinedfiltercallback', [0.95, 'php']],
  ['getfilter', [0.75, 'php']], ['smarty_internal_write_file', [0.95, 'php']], ['getstreamvariable', [0.9, 'php']],
  ['file_excerpt', [0.85, 'php']],
  ['get_admin_log', [0.85, 'python']],
  ['diagnostics', [0.85, 'dotnet']], ['protectiondomain', [0.85, 'java']],
  ['secret_key', [0.8, 'info']], ['config', [0.45, 'info']], ['settings', [0.45, 'info']],
]);

/** Names that only matter together with another name or a call: weights for combinations. */
const WEAK: ReadonlyMap<string, number> = new Map([
  ['system', 0.45], ['exec', 0.45], ['eval', 0.45], ['os', 0.4], ['open', 0.35], ['read', 0.3], ['process', 0.4],
  ['constructor', 0.45], ['request', 0.35], ['self', 0.35], ['application', 0.45], ['env', 0.3], ['file', 0.35],
  ['io', 0.4], ['class', 0.4], ['java', 0.45], ['lang', 0.4], ['global', 0.35], ['spawn', 0.45], ['items', 0.2],
  ['_self', 0.5], ['invoke', 0.45], ['getenv', 0.5], ['send', 0.3], ['module', 0.35], ['cache', 0.2], ['util', 0.3],
]);

/** Substrings of string literals (or the joined concatenation) that name a way out. */
const DANGEROUS_STRING = /__[a-z]+__|child_process|\breturn\s+(?:process|global|this\.constructor)\b|java\.lang\.(?:runtime|processbuilder|class|system)|freemarker\.template\.utility|javax\.script|os\.popen|subprocess|getruntime|processbuilder|mainmodule|\/etc\/passwd|system\.diagnostics/i;
/** Process functions named as a string for a filter to call: {{['id']|filter('system')}}. */
const FUNCTION_STRING = /^(?:system|exec|passthru|shell_exec|popen|proc_open|eval|assert|call_user_func)$/i;

/** `"z".join("ab")`, `'a'.upper()`: a method of a literal string, whose output shows the value was run. */
const STRING_METHOD_PROBE = /^(["'])[^"']{0,20}\1\s*\.\s*[a-z_]\w*\s*\(\s*(?:(["'])[^"']{0,20}\2|\d{1,4})?\s*\)$/i;

/** Liquid's and Django's arithmetic filters on constants: `{{ 7 | times: 7 }}`, `{{ 7|add:7 }}`. */
const FILTER_MATH = /^\d{1,6}\s*\|\s*(?:times|plus|minus|divided_by|modulo|add|multiply|mul|div|mod)\s*:\s*\d{1,6}$/;

/** `format(7*7)`, `(7*'7')`: constant arithmetic as an argument, where a placeholder would hold a name. */
const NESTED_ARITHMETIC = /\(\s*\d{1,6}\s*\*\s*['"]?\d{1,6}['"]?\s*\)/;

/** lodash's and underscore's own globals: only someone asking which engine renders the value names them. */
const LODASH_GLOBAL = /^_\s*\.\s*(?:VERSION|templateSettings|template)\b/;
/** `_.template('<%= x %>')`: a value that compiles a template of its own. */
const LODASH_COMPILE = /\b_\.template\(\s*['"`][^'"`]{0,200}(?:<%|\{\{|\$\{)/;

/** A range or with block: Go templates that print `.` inside one are ordinary. */
const GO_BLOCK = /\{\{-?\s*(?:range|with)\b/;
/** `.`, `printf "%v" .`: Go's text/template printing the whole data it was handed. */
const GO_CONTEXT_DUMP = /^(?:\.|(?:printf\s+"%[-+# 0-9]{0,4}[svqTd]"|print|println|js|html|urlquery)\s+\.)$/;
/** Go's call built-in runs a function-valued field of the data. */
const GO_CALL = /^call\s+\.[A-Za-z_]/;
/**
 * `{{define "T"}}...{{end}}{{template "T"}}`: a value that declares a template and runs it at once,
 * to see its own output. Declaring or invoking named templates alone is ordinary authoring.
 */
const GO_DEFINE_AND_RUN = /\{\{-?\s*(?:define|block)\s+"([^"]{1,60})"[\s\S]{0,400}?\{\{-?\s*template\s+"\1"/;
/** A method on the data that runs a process or touches files, handed a literal: `{{.Exec "id"}}`. */
const GO_PROCESS_METHOD = /^\.(?:[A-Za-z_]\w{0,40}\.){0,4}(?:Exec|System|Command|Run|Shell|Popen|ReadFile|WriteFile|Open|Getenv)\s+["`]/;
/** Fields of the data that hold the server's secrets or its view of the request. */
const GO_SECRETS = /^(?:(?:index|print|println|html|js|printf\s+"[^"]{0,12}")\s+)?\.(?:Config|Env|Environ|Secrets?|Settings|Request|Session|Cookies?|Credentials|Passwords?)\b/;
/** `printf "%s" "ssti"`: a literal printed through a Go built-in, whose output shows the value was run. */
const GO_LITERAL_PRINT = /^printf\s+"%[a-z]"\s+"[^"]{1,20}"$/;
/** Handlebars walking the root context itself (`{{#each this}}`), listing every key it was handed. */
const HANDLEBARS_ROOT_WALK = /^each\s+(?:this|@root)\s*$/;

/** FreeMarker directives (`<#if>`, `[#assign]`): no text outside a FreeMarker template is written so. */
const FTL_DIRECTIVE = /^(if|elseif|assign|global|local|list|items|include|import|macro|function|attempt|setting|switch|visit|recurse|compress|noparse|ftl|stop|return|escape|outputformat|autoesc)\b/;
/** A built-in applied to a literal or constant arithmetic: `${7*7?string}`, `${"a"?upper_case}`. */
const FTL_BUILT_IN_TAIL = /(?:\?[a-z_]{1,24}(?:\([^()]{0,40}\))?)+$/;

/** Objects that hold a framework's secrets or environment: Node's process.env, Django's request.META and signing key, Tornado's handler.settings. */
const SERVER_INTERNALS = /^(?:process\s*\.\s*(?:env|argv|versions?)\b|request\s*\.\s*(?:META|environ)\b|handler\s*\.\s*settings\b|[\w.]*\bsigner\s*\.\s*key\b)/;

const PHP_CALLS = /^\s*(?:if\s+)?(?:system|passthru|shell_exec|exec|popen|proc_open|phpinfo|eval|assert|file_get_contents|readfile|include|require|fopen|file_put_contents)\s*\(/i;

interface Verdict {
  confidence: number;
  family: Family;
  what: string;
}

export function detectTemplateInjection(value: string): ThreatMatch | undefined {
  const len = Math.min(value.length, MAX_JUDGED);
  if (len < 3) return undefined;
  let candidate = false;
  for (let i = 0; i < len - 1; i++) {
    const c = value.charCodeAt(i);
    if (c === 0x7b) {
      candidate = true;
      break;
    }
    const n = value.charCodeAt(i + 1);
    if ((c === 0x3c && (n === 0x25 || n === 0x23)) || (c === 0x5b && (n === 0x23 || n === 0x3d || n === 0x5b)) || (c === 0x40 && n === 0x28)) {
      candidate = true;
      break;
    }
    if ((c === 0x23 || c === 0x24 || c === 0x40) && ((n >= 0x61 && n <= 0x7a) || (n >= 0x41 && n <= 0x5a)) && value.indexOf('(', i) > 0) {
      // #set(...), $a.b(...) and @A.B(...) walks all call something.
      candidate = true;
      break;
    }
    if (c === 0x40 && (n === 0x70 || n === 0x45 || n === 0x41 || n === 0x53 || n === 0x44) && (value.startsWith('php', i + 1) || DOTNET_STATIC.test(value.slice(i + 1, i + 24)) || RAZOR_PROBE.test(value.slice(i + 1, i + 16)))) {
      // Blade's @php block and Razor's @Environment.MachineName and @DateTime.Now need no call.
      candidate = true;
      break;
    }
  }
  if (!candidate) return undefined;
  const s = len < value.length ? value.slice(0, len) : value;
  if (len <= 40 && isPolyglot(s)) {
    return { fingerprint: 'ssti:polyglot+probe', fragment: s, confidence: 0.6, reason: 'a polyglot of template delimiters, probing which engine evaluates the value' };
  }
  if (s.indexOf('_.template(') >= 0 && LODASH_COMPILE.test(s)) {
    return { fingerprint: 'ssti:erb+node', fragment: s.slice(0, MAX_FRAGMENT), confidence: 0.7, reason: 'compiles its own lodash/underscore template, so the value is run as template code' };
  }
  if (s.indexOf('define') >= 0 && GO_DEFINE_AND_RUN.test(s)) {
    return { fingerprint: 'ssti:curly+probe', fragment: s.slice(0, MAX_FRAGMENT), confidence: 0.7, reason: 'a Go template that defines a named template and runs it at once' };
  }
  // A Go template that walks a range or with block prints `.` honestly; a lone {{.}} dumps the whole context.
  const goBlocks = s.indexOf('{{') >= 0 && GO_BLOCK.test(s);
  let best: { v: Verdict; e: Expression } | undefined;
  for (const e of findExpressions(s)) {
    const v = judgeExpression(e, goBlocks);
    if (v !== undefined && (best === undefined || v.confidence > best.v.confidence)) best = { v, e };
    if (best !== undefined && best.v.confidence >= 0.95) break;
  }
  if (best === undefined) return undefined;
  const { v, e } = best;
  return {
    fingerprint: `ssti:${delimiterName(e.delimiter)}+${v.family}`,
    fragment: s.slice(e.start, Math.min(e.end, e.start + MAX_FRAGMENT)),
    confidence: Math.round(Math.min(0.99, v.confidence) * 100) / 100,
    reason: `${v.what} in a ${e.delimiter}${closing(e.delimiter)} template expression`,
  };
}

function judgeExpression(e: Expression, goBlocks: boolean): Verdict | undefined {
  let body = e.body;
  if (e.delimiter === '{') return judgeSmarty(body);
  if (e.delimiter === '@php') return judgeBlade(body);
  if (e.delimiter === '[[') return isArithmeticProbe(body.trim()) ? { confidence: 0.6, family: 'probe', what: `the arithmetic probe ${body.trim().slice(0, 20)}` } : undefined;
  if (e.delimiter === '<#' || e.delimiter === '[#') {
    const directive = judgeFtlDirective(body);
    if (directive !== undefined) return directive;
  }
  if (e.delimiter === '<%' || e.delimiter === '{{') body = body.replace(/^\s*[=\-#!~]/, '');
  if (e.delimiter === '{{' && body.startsWith('{')) body = body.slice(1); // Handlebars' {{{raw}}}
  // Jinja2/Nunjucks {%print(7*7)%}, underscore's <% print(7*7) %>: the printed expression is what runs.
  let printed = e.delimiter === '{{';
  if (e.delimiter === '{%' || e.delimiter === '<%') {
    const unwrapped = body.replace(/^\s*print\s*\(([\s\S]*)\)\s*;?\s*$/, '$1');
    printed = unwrapped !== body;
    body = unwrapped;
  }
  if (e.delimiter === '${' && body.startsWith('{') && body.endsWith('}')) body = body.slice(1, -1); // ${{7*7}}
  if (e.delimiter === '#set') body = body.replace(/^\s*\$[\w.]+\s*=\s*/, ''); // #set($x = 7*7)
  const trimmed = body.trim();

  const reference = e.delimiter === '$ref' || e.delimiter === '@ref';
  if (e.delimiter === '@ref' && DOTNET_STATIC.test(trimmed)) return { confidence: 0.7, family: 'dotnet', what: `the .NET server static ${trimmed.slice(0, 30)}` };
  if (isArithmeticProbe(trimmed) && !reference) {
    return { confidence: e.delimiter === '@(' ? 0.6 : 0.75, family: 'probe', what: `the arithmetic probe ${trimmed.slice(0, 20)}` };
  }
  if (!reference && e.delimiter !== '@(' && trimmed.indexOf('?') > 0) {
    const builtIn = judgeFtlBuiltIn(trimmed);
    if (builtIn !== undefined) return builtIn;
  }
  if (e.delimiter === '{{') {
    const go = judgeGoAction(trimmed, goBlocks);
    if (go !== undefined) return go;
  }
  if (!reference && LODASH_GLOBAL.test(trimmed)) return { confidence: 0.7, family: 'probe', what: `the lodash/underscore global ${trimmed.slice(0, 24)}` };
  if (!reference && e.delimiter !== '@(' && NESTED_ARITHMETIC.test(trimmed)) {
    return { confidence: 0.7, family: 'probe', what: 'constant arithmetic handed to a filter or call' };
  }
  if (e.delimiter === '{{' && /^(?:dump\s*\(\s*app\s*\)|app\s*\.\s*request\s*\.\s*server\b|_self\s*\.\s*env\b)/i.test(trimmed)) {
    return { confidence: 0.7, family: 'php', what: 'a Twig dump of the application or server' };
  }
  if (e.delimiter === '{{' && /^_?self$/.test(trimmed)) {
    // Jinja2's and Twig's handle on the template itself: no placeholder is named so.
    return { confidence: 0.5, family: 'probe', what: `a dump of the template object ${trimmed}` };
  }
  if (e.delimiter === '{{' && /^(?:request|app|g|session|settings)$/.test(trimmed)) {
    return { confidence: 0.45, family: 'probe', what: `a dump of the template global ${trimmed}` };
  }
  if (e.delimiter === '${' && /^\.(?:version|data_model|globals|main|vars|namespace|template_name|current_template_name|now|locale_object)$/.test(trimmed)) {
    return { confidence: 0.6, family: 'probe', what: `the FreeMarker special variable ${trimmed}` };
  }
  if ((e.delimiter === '${' || e.delimiter === '#{') && /^(?:applicationScope|sessionScope|requestScope|pageContext|initParam)$/.test(trimmed)) {
    return { confidence: 0.6, family: 'java', what: `a dump of the JSP implicit object ${trimmed}` };
  }
  if ((e.delimiter === '${' || e.delimiter === '#{') && /^pageContext\s*\.[\w.\s]*\(/.test(trimmed)) {
    // ${pageContext.request.contextPath} is everyday JSP; a method call on it is not.
    return { confidence: 0.7, family: 'java', what: 'a method call on the JSP pageContext' };
  }
  if (!reference && FILTER_MATH.test(trimmed)) return { confidence: 0.75, family: 'probe', what: `the arithmetic probe ${trimmed.slice(0, 20)}` };
  if (!reference && SERVER_INTERNALS.test(trimmed)) return { confidence: 0.7, family: 'info', what: `the framework internals ${trimmed.slice(0, 30)}` };
  if (!reference && STRING_METHOD_PROBE.test(trimmed)) {
    return { confidence: 0.6, family: 'probe', what: `the string-method probe ${trimmed.slice(0, 24)}` };
  }
  if (e.delimiter === '{{' && HANDLEBARS_ROOT_WALK.test(trimmed)) return { confidence: 0.55, family: 'probe', what: 'a Handlebars walk over the whole context' };
  if (e.delimiter === '@ref' && RAZOR_PROBE.test(trimmed)) return { confidence: 0.6, family: 'probe', what: `the Razor probe @${trimmed}` };
  if (printed && /^config(?:\s*\.\s*items\s*\(\s*\))?$/i.test(trimmed)) {
    return { confidence: trimmed.length > 6 ? 0.8 : 0.7, family: 'info', what: 'the Flask config object (holds SECRET_KEY)' };
  }
  const statement = judgeStatement(e.delimiter, trimmed);
  const special = judgeSpecialSyntax(trimmed);
  const named = judgeNames(trimmed, e.delimiter);
  const call = judgeProcessCall(trimmed);
  let best = special;
  for (const v of [named, statement, call]) if (v !== undefined && (best === undefined || v.confidence > best.confidence)) best = v;
  if (best === undefined) return undefined;
  // A Velocity walk outside braces is ordinary in prose ($user.name); only strong reaches count.
  if (reference && best.confidence < 0.8) return undefined;
  if (best.confidence < REPORT && best.family !== 'probe') return undefined;
  return best;
}

/** Go text/template actions no placeholder takes: the whole context, call, define, template, a process method, a secret field. */
function judgeGoAction(body: string, goBlocks: boolean): Verdict | undefined {
  if (GO_CONTEXT_DUMP.test(body)) {
    return goBlocks ? undefined : { confidence: 0.55, family: 'probe', what: 'a Go template dump of the whole context' };
  }
  if (GO_PROCESS_METHOD.test(body)) return { confidence: 0.8, family: 'exec', what: 'a Go template method that runs a process or reads files' };
  if (GO_CALL.test(body)) return { confidence: 0.7, family: 'exec', what: "Go's call built-in invoking a function of the data" };
  if (GO_LITERAL_PRINT.test(body)) return { confidence: 0.6, family: 'probe', what: 'a Go template printing a literal through printf' };
  if (GO_SECRETS.test(body)) return { confidence: 0.6, family: 'info', what: `the server data field ${body.slice(0, 30)}` };
  return undefined;
}

/** FreeMarker's `<#...>` and `[#...]` directives that include local files, instantiate classes or compute constants. */
function judgeFtlDirective(body: string): Verdict | undefined {
  const m = FTL_DIRECTIVE.exec(body.trimStart());
  if (m === null) return undefined;
  const rest = body.slice(body.indexOf(m[1]!) + m[1]!.length);
  if (/\?\s*new\s*\(|utility\.execute|objectconstructor/i.test(rest)) return { confidence: 0.95, family: 'java', what: 'a FreeMarker directive instantiating Execute' };
  if ((m[1] === 'include' || m[1] === 'import') && /^\s*["'](?:\/|[a-z]:\\|\.\.)/i.test(rest)) return { confidence: 0.85, family: 'statement', what: 'a FreeMarker directive including a local file' };
  // Authors write directives over data (<#if user??>, <#assign total = price * qty>); a probe hands one constants.
  if (/\d\s*[*+]\s*['"]?\d/.test(rest)) return { confidence: 0.75, family: 'probe', what: `the FreeMarker directive <#${m[1]}> computing a constant` };
  if (m[1] === 'if' && /^\s*(?:true|false|\d+\s*==\s*\d+)\s*\/?$/.test(rest)) return { confidence: 0.6, family: 'probe', what: 'a FreeMarker <#if> on a constant condition' };
  return undefined;
}

/** FreeMarker built-ins (`?string`, `?c`, `?upper_case`) applied to a constant: a probe for the engine. */
function judgeFtlBuiltIn(body: string): Verdict | undefined {
  const tail = FTL_BUILT_IN_TAIL.exec(body);
  if (tail === null || tail.index === 0) return undefined;
  let head = body.slice(0, tail.index).trim();
  if (head.startsWith('(') && head.endsWith(')')) head = head.slice(1, -1).trim();
  if (isArithmeticProbe(head)) return { confidence: 0.75, family: 'probe', what: `the arithmetic probe ${head.slice(0, 20)} with a FreeMarker built-in` };
  if (/^(?:"[^"]{0,20}"|'[^']{0,20}'|\d{1,6})$/.test(head)) return { confidence: 0.6, family: 'probe', what: `a FreeMarker built-in on the literal ${head}` };
  return undefined;
}

/** system('id'), exec("..."), IO.popen, File.read: a process or file call with a literal argument. */
function judgeProcessCall(body: string): Verdict | undefined {
  if (/\b(?:IO|File|Dir|Kernel|Open3)\s*\.\s*(?:popen|read|open|entries|glob|readlines|exec|system|capture[23]?)\b/.test(body)) {
    return { confidence: 0.85, family: 'ruby', what: 'a Ruby process or file call' };
  }
  if (/\b(?:system|exec|popen|spawn|passthru|shell_exec|eval|execSync)\s*\(\s*['"`]/.test(body)) {
    return { confidence: 0.8, family: 'exec', what: 'a process call with a literal command' };
  }
  return undefined;
}

/** Sums the weights of reaching names: one strong name suffices, weak ones only together. */
function judgeNames(body: string, delimiter: string): Verdict | undefined {
  const { names, strings, joined } = readBody(body);
  let top = 0;
  let topFamily: Family = 'info';
  let topName = '';
  let weak = 0;
  const seen = new Set<string>();
  for (const raw of names) {
    const name = raw.toLowerCase();
    if (seen.has(name)) continue;
    seen.add(name);
    if (/^__\w+__$/.test(raw) || /^_\w+__\w+$/.test(raw)) {
      if (top < 0.95) {
        top = 0.95;
        topFamily = 'python';
        topName = raw;
      }
      continue;
    }
    const strong = NAMES.get(name);
    if (strong !== undefined) {
      if (strong[0] > top) {
        top = strong[0];
        topFamily = strong[1];
        topName = raw;
      } else weak += 0.1;
      continue;
    }
    const w = WEAK.get(name);
    if (w !== undefined) weak += w;
  }
  for (const text of [...strings, joined]) {
    if (DANGEROUS_STRING.test(text)) {
      const m = DANGEROUS_STRING.exec(text)!;
      if (0.95 > top) {
        top = 0.95;
        topFamily = /java|freemarker|javax/i.test(m[0]) ? 'java' : /child|mainmodule/i.test(m[0]) ? 'node' : 'python';
        topName = m[0];
      }
    } else if (FUNCTION_STRING.test(text) && (seen.has('filter') || seen.has('map') || seen.has('sort') || seen.has('reduce') || seen.has('call_user_func'))) {
      if (0.9 > top) {
        top = 0.9;
        topFamily = 'php';
        topName = `'${text}' as a filter callback`;
      }
    }
  }
  if (seen.has('lookup') && strings.some((t) => t === 'constructor' || t === 'prototype')) {
    // Handlebars: {{lookup (lookup this 'constructor') 'constructor'}} climbs to Function.
    top = Math.max(top, 0.85);
    topFamily = 'node';
    topName = `a lookup of '${strings.find((t) => t === 'constructor' || t === 'prototype')}'`;
  }
  if (seen.has('constructor') && /constructor\s*\.\s*constructor|constructor["']\s*\]?\s*\(/i.test(body)) {
    top = Math.max(top, 0.9);
    topFamily = 'node';
    topName = 'constructor.constructor';
  }
  // Weak names that only matter together: os.popen, request.application, self._TemplateReference.
  const combined = top > 0 ? Math.min(0.99, top + Math.min(0.08, weak * 0.1)) : weak >= 0.8 ? Math.min(0.85, weak) : 0;
  if (top === 0 && delimiter === '{{' && names.length === 1 && names[0]!.toLowerCase() === 'config') {
    return { confidence: 0.7, family: 'info', what: 'the framework config object' };
  }
  if (combined === 0) return undefined;
  const what = topName !== '' ? `reaches for ${topName}` : `chains ${[...seen].filter((n) => WEAK.has(n)).slice(0, 4).join(', ')}`;
  return { confidence: combined, family: top > 0 ? topFamily : 'python', what };
}

/** Engine syntax that exists only to reach classes: SpEL T(), OGNL @class@, FreeMarker ?new(). */
function judgeSpecialSyntax(body: string): Verdict | undefined {
  if (/\bT\s*\(\s*[a-z_$][\w$]*(?:\s*\.\s*[a-z_$][\w$]*)+\s*\)/i.test(body)) return { confidence: 0.95, family: 'java', what: 'a SpEL T(...) class reference' };
  if (/@[a-z_$][\w$]*(?:\.[a-z_$][\w$]*)+@/i.test(body)) return { confidence: 0.9, family: 'java', what: 'an OGNL static member reference' };
  if (/\?\s*new\s*\(/.test(body)) return { confidence: 0.95, family: 'java', what: 'FreeMarker ?new() instantiating a class' };
  if (/\?\s*(?:api|eval|interpret)\b/.test(body)) return { confidence: 0.8, family: 'java', what: 'a FreeMarker built-in that reaches the Java API' };
  if (/\bnew\s+java\s*\./i.test(body)) return { confidence: 0.9, family: 'java', what: 'a new java.* object' };
  if (/(?:''|"")\s*\.\s*(?:class|getclass\s*\(\s*\))/i.test(body)) return { confidence: 0.85, family: 'java', what: 'reflection from a string literal' };
  return undefined;
}

/** Statement tags: {% import os %}, <%! ... %>, <% import %>, {% include '/etc/passwd' %}, <#assign>. */
function judgeStatement(delimiter: string, body: string): Verdict | undefined {
  if (delimiter === '{%' || delimiter === '<%') {
    if (/^(?:import\s+[a-z_]|from\s+[a-z_][\w.]*\s+import\b)/i.test(body)) return { confidence: 0.9, family: 'statement', what: 'a statement importing a module' };
    if (delimiter === '<%' && body.startsWith('!')) return { confidence: 0.7, family: 'statement', what: 'a Mako module-level block' };
    if (/^(?:include|extends|import)\s+["'](?:\/|[a-z]:\\|\.\.)/i.test(body)) return { confidence: 0.8, family: 'statement', what: 'a statement including a local file' };
    if (/^debug\s*$/i.test(body)) return { confidence: 0.6, family: 'info', what: 'the Django debug tag' };
    if (delimiter === '<%' && (/`[^`]+`/.test(body) || /%x\s*[({[]/.test(body))) return { confidence: 0.85, family: 'ruby', what: 'a Ruby shell-out' };
  }
  if (delimiter === '#{' && (/^`[^`]+`$/.test(body) || /^%x\s*[({[]/.test(body))) {
    return { confidence: 0.85, family: 'ruby', what: 'a Ruby shell-out' };
  }
  if (delimiter === '<#' && /^(?:assign|global|local)\b/i.test(body) && /\?\s*new\s*\(|utility\.execute/i.test(body)) {
    return { confidence: 0.95, family: 'java', what: 'a FreeMarker assignment instantiating Execute' };
  }
  if (delimiter === '#set' && judgeSpecialSyntax(body) === undefined && /\$class\s*\.\s*inspect|\.forname\s*\(|getruntime/i.test(body)) {
    return { confidence: 0.9, family: 'java', what: 'a Velocity #set reaching Java classes' };
  }
  return undefined;
}

function judgeDust(t: string): Verdict | undefined {
  const m = DUST_HELPER.exec(t);
  if (m === null) return undefined;
  const helper = m[1]!;
  if (helper === 'if' && /\bcond\s*=/.test(t)) {
    // dustjs-helpers hands @if's cond to eval().
    if (/require|process|child_process|constructor|eval\s*\(|global/.test(t)) return { confidence: 0.9, family: 'node', what: "Dust's @if cond, which dustjs-helpers evaluates, reaching Node" };
    return { confidence: 0.6, family: 'probe', what: "Dust's @if cond, which dustjs-helpers evaluates" };
  }
  if (helper === 'math') return { confidence: 0.7, family: 'probe', what: "Dust's @math helper computing a constant" };
  if (helper === 'contextDump') return { confidence: 0.65, family: 'info', what: "Dust's @contextDump of the template data" };
  return { confidence: 0.55, family: 'probe', what: `the Dust helper @${helper}` };
}

/** Blade's `@php ... @endphp`: PHP run as is, reported when it calls what a template never needs. */
function judgeBlade(body: string): Verdict | undefined {
  const t = body.trim();
  if (PHP_CALLS.test(t)) return { confidence: 0.85, family: 'php', what: `a PHP call ${t.slice(0, 20)}` };
  return undefined;
}

/** Dust helpers (`{@math key=7 method="multiply" operand=7/}`, `{@if cond="..."}`): named parameters after the helper. */
const DUST_HELPER = /^@(math|if|eq|ne|lt|gt|lte|gte|select|any|none|first|last|sep|size|contextDump)\b(?=[^}]{0,200}?(?:\b[a-z]+\s*=|\/$))/;

/** Single braces: Dust helpers, Smarty's unmistakable forms, and constant products; no CSS, JSON or code block takes these. */
function judgeSmarty(body: string): Verdict | undefined {
  const t = body.trim();
  if (t.charCodeAt(0) === 0x40) return judgeDust(t);
  if (/^math\s+equation\s*=/i.test(t)) return { confidence: 0.7, family: 'probe', what: "Smarty's {math} evaluating an equation" };
  if (t.indexOf('*') > 0 && isArithmeticProbe(t)) return { confidence: 0.6, family: 'probe', what: `the arithmetic probe ${t.slice(0, 20)}` };
  if (/^\*[^*{}]+\*$/.test(t)) return { confidence: 0.55, family: 'probe', what: 'a Smarty comment, probing whether it vanishes' };
  if (/^\/?php$/i.test(t)) return { confidence: 0.85, family: 'php', what: 'a Smarty {php} block' };
  if (/^(?:fetch|include|include_php)\s+file\s*=\s*['"]?(?:\/|[a-z]:\\|\.\.|file:|php:)/i.test(t)) return { confidence: 0.85, family: 'php', what: 'a Smarty tag reading a local file' };
  if (/^\$smarty\.(?:version|template_object|server|env|const|session|cookies|get|post|request)\b/i.test(t)) return { confidence: 0.7, family: 'php', what: 'the $smarty object probing the engine or server' };
  if (PHP_CALLS.test(t) && t.length < 200) return { confidence: 0.85, family: 'php', what: `a PHP call ${t.slice(0, 20)}` };
  if (/^(?:smarty_internal_\w+|self)::/i.test(t)) return { confidence: 0.9, family: 'php', what: 'a Smarty static method call' };
  return undefined;
}

/** `${{<%[%'"}}%\.`: three or more engines' delimiters with little else, a fuzzing probe. */
function isPolyglot(s: string): boolean {
  let kinds = 0;
  for (const d of ['${', '{{', '<%', '#{', '}}', '%>', '[%', '{%', '*{']) if (s.indexOf(d) >= 0) kinds++;
  if (kinds < 3) return false;
  let letters = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i) | 0x20;
    if (c >= 0x61 && c <= 0x7a) letters++;
  }
  return letters <= 4;
}

/** `7*7`, `7*'7'`, `1337*1337`, `(3+4)*2`: constant arithmetic with a `*`, `+` or `/`. */
function isArithmeticProbe(t: string): boolean {
  if (t.length === 0 || t.length > 40) return false;
  let ops = 0;
  let digits = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) digits++;
    else if (c === 0x2a || c === 0x2b || c === 0x2f) ops++;
    else if (c !== 0x20 && c !== 0x27 && c !== 0x22 && c !== 0x28 && c !== 0x29 && c !== 0x2d && c !== 0x2e) return false;
  }
  return ops > 0 && digits >= 2 && /\d\s*['"]?\s*\)?\s*[*+/]\s*\(?\s*['"]?\s*\d/.test(t);
}

function delimiterName(d: string): string {
  switch (d) {
    case '{{': return 'curly';
    case '{%': return 'statement';
    case '${': return 'dollar';
    case '#{': return 'hash';
    case '*{': return 'selection';
    case '@{': return 'link';
    case '~{': return 'fragment';
    case '%{': return 'ognl';
    case '<%': return 'erb';
    case '<#': return 'ftl';
    case '[#': return 'ftl';
    case '[=': return 'ftl';
    case '[[': return 'inline';
    case '{': return 'smarty';
    case '@php': return 'blade';
    case '#set': return 'velocity';
    case '$ref': return 'velocity';
    case '@ref': return 'razor';
    case '@(': return 'razor';
    default: return 'other';
  }
}

function closing(d: string): string {
  switch (d) {
    case '{{': return '...}}';
    case '{%': return '...%}';
    case '<%': return '...%>';
    case '<#': return '...>';
    case '[#': return '...]';
    case '[=': return '...]';
    case '[[': return '...]]';
    case '@php': return '...@endphp';
    case '#set': return '(...)';
    case '@(': return '...)';
    case '$ref': return 'name.member';
    case '@ref': return 'name.member';
    default: return '...}';
  }
}
