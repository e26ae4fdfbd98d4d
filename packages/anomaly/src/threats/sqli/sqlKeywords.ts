// The keyword → class table for MySQL, PostgreSQL, MSSQL, Oracle and SQLite, with a lookup that
// reads a word straight out of the input by offsets (case-folded while hashing), so the
// tokenizer never builds a string per word.
import { Kw, TokenFlag, TokenType } from './sqlTokens';

const F = TokenFlag;

interface KeywordEntry {
  readonly word: string;
  readonly type: TokenType;
  readonly flags: number;
  readonly kw: Kw;
}

type Row = readonly [word: string, type: TokenType, flags?: number, kw?: Kw];

const LOGIC: Row[] = [
  ['and', TokenType.Logic],
  ['or', TokenType.Logic],
  ['xor', TokenType.Logic],
  ['not', TokenType.Not],
];

const WORD_OPERATORS: Row[] = [
  ['like', TokenType.Operator, F.Compare | F.CallableTight, Kw.Like],
  ['ilike', TokenType.Operator, F.Compare],
  ['rlike', TokenType.Operator, F.Compare],
  ['regexp', TokenType.Operator, F.Compare | F.CallableTight],
  ['glob', TokenType.Operator, F.Compare | F.CallableTight],
  ['similar', TokenType.Operator, F.Compare],
  ['sounds', TokenType.Operator, F.Compare, Kw.Sounds],
  ['between', TokenType.Operator, F.Compare, Kw.Between],
  ['in', TokenType.Operator, F.Compare, Kw.In],
  ['is', TokenType.Operator, F.Compare, Kw.Is],
  ['div', TokenType.Operator],
  ['mod', TokenType.Operator, F.Callable],
  ['collate', TokenType.Operator],
];

const SET_OPERATORS: Row[] = [
  ['union', TokenType.Union],
  ['intersect', TokenType.Union],
  ['except', TokenType.Union],
  ['minus', TokenType.Union],
];

const STATEMENTS: Row[] = [
  ['select', TokenType.Select],
  ['insert', TokenType.Statement, F.Callable, Kw.Insert],
  ['update', TokenType.Statement, 0, Kw.Update],
  ['delete', TokenType.Statement, 0, Kw.Delete],
  ['drop', TokenType.Statement, 0, Kw.Drop],
  ['create', TokenType.Statement, 0, Kw.Create],
  ['alter', TokenType.Statement, 0, Kw.Alter],
  ['truncate', TokenType.Statement, F.Callable, Kw.Truncate],
  ['exec', TokenType.Statement, 0, Kw.Exec],
  ['execute', TokenType.Statement, 0, Kw.Exec],
  ['declare', TokenType.Statement, 0, Kw.Declare],
  ['shutdown', TokenType.Statement, 0, Kw.Shutdown],
  ['waitfor', TokenType.Statement, 0, Kw.Waitfor],
  ['grant', TokenType.Statement, 0, Kw.Grant],
  ['revoke', TokenType.Statement, 0, Kw.Grant],
  ['copy', TokenType.Statement, 0, Kw.Copy],
  ['attach', TokenType.Statement, 0, Kw.Attach],
  ['load', TokenType.Statement, 0, Kw.Load],
  ['call', TokenType.Statement, F.Callable, Kw.Call],
  ['do', TokenType.Statement, 0, Kw.Do],
  ['begin', TokenType.Statement, 0, Kw.Begin],
  ['replace', TokenType.Statement, F.Callable, Kw.Replace],
  ['merge', TokenType.Statement, 0, Kw.Merge],
  ['rename', TokenType.Statement, 0, Kw.Rename],
  ['use', TokenType.Statement, 0, Kw.Use],
  ['kill', TokenType.Statement, 0, Kw.Kill],
  ['if', TokenType.Statement, F.Callable, Kw.If],
  ['describe', TokenType.Statement, 0, Kw.Describe],
  ['show', TokenType.Statement, 0, Kw.Show],
];

const CLAUSES: Row[] = [
  ['order', TokenType.Clause, 0, Kw.Order],
  ['group', TokenType.Clause, 0, Kw.Group],
  ['having', TokenType.Clause, 0, Kw.Having],
  ['limit', TokenType.Clause, 0, Kw.Limit],
  ['offset', TokenType.Clause, 0, Kw.Offset],
  ['procedure', TokenType.Clause, F.ObjectKind, Kw.Procedure],
];

const KEYWORDS: Row[] = [
  ['all', TokenType.Keyword, 0, Kw.All],
  ['distinct', TokenType.Keyword, 0, Kw.Distinct],
  ['distinctrow', TokenType.Keyword, 0, Kw.Distinct], // MySQL's synonym
  ['by', TokenType.Keyword, 0, Kw.By],
  ['from', TokenType.Keyword, 0, Kw.From],
  ['into', TokenType.Keyword, 0, Kw.Into],
  ['set', TokenType.Keyword, 0, Kw.Set],
  ['as', TokenType.Keyword, 0, Kw.As],
  ['delay', TokenType.Keyword, 0, Kw.Delay],
  ['time', TokenType.Keyword, F.Callable, Kw.Time],
  ['case', TokenType.Keyword, 0, Kw.Case],
  ['end', TokenType.Keyword, 0, Kw.End],
  ['exists', TokenType.Keyword, 0, Kw.Exists],
  ['outfile', TokenType.Keyword, 0, Kw.Outfile],
  ['dumpfile', TokenType.Keyword, 0, Kw.Dumpfile],
  ['where', TokenType.Keyword, 0, Kw.Where],
  ['top', TokenType.Keyword, 0, Kw.Top],
  ['values', TokenType.Keyword, 0, Kw.Values],
  ['program', TokenType.Keyword, 0, Kw.Program],
  ['with', TokenType.Keyword, 0, Kw.With],
  ['dual', TokenType.Bareword, 0, Kw.Dual],
  ['when', TokenType.Keyword],
  ['then', TokenType.Keyword],
  ['else', TokenType.Keyword],
  ['on', TokenType.Keyword],
  ['join', TokenType.Keyword],
  ['inner', TokenType.Keyword],
  ['outer', TokenType.Keyword],
  ['cross', TokenType.Keyword],
  ['natural', TokenType.Keyword],
  ['left', TokenType.Keyword, F.Callable],
  ['right', TokenType.Keyword, F.Callable],
  ['using', TokenType.Keyword],
  ['asc', TokenType.Keyword],
  ['desc', TokenType.Keyword, 0, Kw.Describe],
  ['for', TokenType.Keyword],
  ['nowait', TokenType.Keyword],
  ['separator', TokenType.Keyword],
  ['escape', TokenType.Keyword],
  ['analyse', TokenType.Keyword, F.Callable],
  ['immediate', TokenType.Keyword],
  ['char', TokenType.Keyword, F.Callable],
];

const OBJECT_KINDS: Row[] = [
  ['table', TokenType.Keyword, F.ObjectKind],
  ['database', TokenType.Bareword, F.ObjectKind | F.Info | F.Callable],
  ['schema', TokenType.Bareword, F.ObjectKind | F.Info | F.Callable],
  ['user', TokenType.Bareword, F.ObjectKind | F.Info | F.Callable],
  ['view', TokenType.Keyword, F.ObjectKind],
  ['index', TokenType.Keyword, F.ObjectKind],
  ['trigger', TokenType.Keyword, F.ObjectKind],
  ['function', TokenType.Keyword, F.ObjectKind],
  ['login', TokenType.Keyword, F.ObjectKind],
  ['role', TokenType.Keyword, F.ObjectKind],
  ['column', TokenType.Keyword, F.ObjectKind],
  ['sequence', TokenType.Keyword, F.ObjectKind],
  ['tablespace', TokenType.Keyword, F.ObjectKind],
  ['temporary', TokenType.Keyword, F.ObjectKind],
  ['extension', TokenType.Keyword, F.ObjectKind],
  ['assembly', TokenType.Keyword, F.ObjectKind],
  ['event', TokenType.Keyword, F.ObjectKind],
];

const LITERALS: Row[] = [
  ['null', TokenType.Literal, 0, Kw.Null],
  ['true', TokenType.Literal, 0, Kw.True],
  ['false', TokenType.Literal, 0, Kw.False],
  ['unknown', TokenType.Literal],
  ['current_user', TokenType.Literal, F.Info | F.Callable],
  ['session_user', TokenType.Literal, F.Info | F.Callable],
  ['system_user', TokenType.Literal, F.Info | F.Callable],
  ['current_schema', TokenType.Literal, F.Info | F.Callable],
  ['current_date', TokenType.Literal, F.Callable],
  ['current_time', TokenType.Literal, F.Callable],
  ['current_timestamp', TokenType.Literal, F.Callable],
  ['localtimestamp', TokenType.Literal, F.Callable],
  ['sysdate', TokenType.Literal, F.Callable],
  ['rownum', TokenType.Literal],
];

const TIME_FUNCTIONS: Row[] = [
  ['sleep', TokenType.Function, F.Time | F.Soft],
  ['benchmark', TokenType.Function, F.Time | F.Soft],
  ['pg_sleep', TokenType.Function, F.Time],
  ['pg_sleep_for', TokenType.Function, F.Time],
  ['pg_sleep_until', TokenType.Function, F.Time],
  ['dbms_lock.sleep', TokenType.Function, F.Time],
  ['dbms_session.sleep', TokenType.Function, F.Time],
  ['sys.dbms_lock.sleep', TokenType.Function, F.Time],
  ['dbms_pipe.receive_message', TokenType.Function, F.Time],
  ['sys.dbms_pipe.receive_message', TokenType.Function, F.Time],
  ['randomblob', TokenType.Function, F.Time],
  ['generate_series', TokenType.Function, F.Soft],
];

const ERROR_FUNCTIONS: Row[] = [
  ['extractvalue', TokenType.Function, F.ErrorLeak],
  ['updatexml', TokenType.Function, F.ErrorLeak],
  ['xmltype', TokenType.Function, F.ErrorLeak],
  ['name_const', TokenType.Function, F.ErrorLeak],
  ['gtid_subset', TokenType.Function, F.ErrorLeak],
  ['gtid_subtract', TokenType.Function, F.ErrorLeak],
  ['st_latfromgeohash', TokenType.Function, F.ErrorLeak],
  ['st_longfromgeohash', TokenType.Function, F.ErrorLeak],
  ['st_pointfromgeohash', TokenType.Function, F.ErrorLeak],
  ['ctxsys.drithsx.sn', TokenType.Function, F.ErrorLeak],
  ['dbms_xmlgen.getxml', TokenType.Function, F.ErrorLeak],
  ['dbms_utility.sqlid_to_sqlhash', TokenType.Function, F.ErrorLeak],
  ['ordsys.ord_dicom.getmappingxpath', TokenType.Function, F.ErrorLeak],
  ['exp', TokenType.Function, F.ErrorLeak | F.Soft],
  ['geometrycollection', TokenType.Function, F.ErrorLeak | F.Soft],
  ['polygon', TokenType.Function, F.ErrorLeak | F.Soft],
  ['multipoint', TokenType.Function, F.ErrorLeak | F.Soft],
  ['multipolygon', TokenType.Function, F.ErrorLeak | F.Soft],
  ['linestring', TokenType.Function, F.ErrorLeak | F.Soft],
  ['multilinestring', TokenType.Function, F.ErrorLeak | F.Soft],
  ['json_keys', TokenType.Function, F.ErrorLeak | F.Soft],
  ['convert', TokenType.Function, F.ErrorLeak | F.Soft],
  ['cast', TokenType.Function, F.ErrorLeak | F.Soft],
];

const EXEC_FUNCTIONS: Row[] = [
  ['load_file', TokenType.Function, F.Exec],
  ['xp_cmdshell', TokenType.Function, F.Exec],
  ['xp_dirtree', TokenType.Function, F.Exec],
  ['xp_fileexist', TokenType.Function, F.Exec],
  ['xp_regread', TokenType.Function, F.Exec],
  ['xp_servicecontrol', TokenType.Function, F.Exec],
  ['sp_oacreate', TokenType.Function, F.Exec],
  ['sp_configure', TokenType.Function, F.Exec],
  ['sp_executesql', TokenType.Function, F.Exec],
  ['sp_makewebtask', TokenType.Function, F.Exec],
  ['sp_addlogin', TokenType.Function, F.Exec],
  ['sp_password', TokenType.Function, F.Exec],
  ['openrowset', TokenType.Function, F.Exec],
  ['opendatasource', TokenType.Function, F.Exec],
  ['openquery', TokenType.Function, F.Exec],
  ['utl_http.request', TokenType.Function, F.Exec],
  ['utl_inaddr.get_host_name', TokenType.Function, F.Exec | F.ErrorLeak],
  ['utl_inaddr.get_host_address', TokenType.Function, F.Exec | F.ErrorLeak],
  ['utl_file.fopen', TokenType.Function, F.Exec],
  ['httpuritype', TokenType.Function, F.Exec],
  ['dbms_java.runjava', TokenType.Function, F.Exec],
  ['dbms_scheduler.create_job', TokenType.Function, F.Exec],
  ['dbms_ldap.init', TokenType.Function, F.Exec],
  ['pg_read_file', TokenType.Function, F.Exec],
  ['pg_read_binary_file', TokenType.Function, F.Exec],
  ['pg_ls_dir', TokenType.Function, F.Exec],
  ['lo_import', TokenType.Function, F.Exec],
  ['lo_export', TokenType.Function, F.Exec],
  ['dblink', TokenType.Function, F.Exec],
  ['dblink_exec', TokenType.Function, F.Exec],
  ['load_extension', TokenType.Function, F.Exec],
  ['readfile', TokenType.Function, F.Exec | F.Soft],
  ['writefile', TokenType.Function, F.Exec | F.Soft],
  ['sys_eval', TokenType.Function, F.Exec],
  ['sys_exec', TokenType.Function, F.Exec],
];

const INFO_FUNCTIONS: Row[] = [
  ['version', TokenType.Bareword, F.Info | F.Callable],
  ['db_name', TokenType.Function, F.Info],
  ['user_name', TokenType.Function, F.Info],
  ['suser_name', TokenType.Function, F.Info],
  ['suser_sname', TokenType.Function, F.Info],
  ['host_name', TokenType.Function, F.Info],
  ['current_database', TokenType.Function, F.Info],
  ['sqlite_version', TokenType.Function, F.Info],
  ['getpgusername', TokenType.Function, F.Info],
  ['connection_id', TokenType.Function, F.Info],
  ['inet_server_addr', TokenType.Function, F.Info],
  ['schema_name', TokenType.Function, F.Info],
  ['sys_context', TokenType.Function, F.Info],
  ['is_srvrolemember', TokenType.Function, F.Info],
  ['has_dbaccess', TokenType.Function, F.Info],
];

const CATALOGS: Row[] = [
  'information_schema', 'sysobjects', 'syscolumns', 'sysusers', 'syslogins', 'sql_logins',
  'pg_catalog', 'pg_shadow', 'pg_user', 'pg_tables', 'pg_database', 'pg_stat_activity',
  'all_tables', 'all_users', 'all_tab_columns', 'user_tables', 'dba_users', 'v$version',
  'sqlite_master', 'sqlite_schema', 'sqlite_temp_master', 'msysobjects', 'mysql.user',
  'sysdatabases', 'sys.tables', 'sys.objects', 'sys.databases', 'sys.sql_logins', 'dba_tables',
].map((w): Row => [w, TokenType.Bareword, F.Catalog]);

const ENTRIES: KeywordEntry[] = [
  ...LOGIC, ...WORD_OPERATORS, ...SET_OPERATORS, ...STATEMENTS, ...CLAUSES, ...KEYWORDS,
  ...OBJECT_KINDS, ...LITERALS, ...TIME_FUNCTIONS, ...ERROR_FUNCTIONS, ...EXEC_FUNCTIONS,
  ...INFO_FUNCTIONS, ...CATALOGS,
].map(([word, type, flags = 0, kw = Kw.None]) => ({ word, type, flags, kw }));

/** The longest keyword; longer words skip the lookup. */
export const MAX_KEYWORD_LENGTH = ENTRIES.reduce((m, e) => Math.max(m, e.word.length), 0);

const SLOTS = 2048;
const MASK = SLOTS - 1;
/** Open addressing: entry index + 1, 0 for an empty slot. */
const slots = new Int16Array(SLOTS);

function lower(c: number): number {
  return c >= 65 && c <= 90 ? c | 32 : c;
}

function hashStep(h: number, c: number): number {
  return Math.imul(h ^ c, 0x01000193);
}

const HASH_SEED = 0x811c9dc5 | 0;

for (let i = 0; i < ENTRIES.length; i++) {
  const word = (ENTRIES[i] as KeywordEntry).word;
  let h = HASH_SEED;
  for (let j = 0; j < word.length; j++) h = hashStep(h, word.charCodeAt(j));
  let slot = h & MASK;
  while (slots[slot] !== 0) slot = (slot + 1) & MASK;
  slots[slot] = i + 1;
}

/**
 * Index of the keyword spelled (in any case) by `text[start, end)`, or -1. No allocation:
 * the word is hashed and compared in place.
 */
export function lookupKeyword(text: string, start: number, end: number): number {
  const len = end - start;
  if (len < 2 || len > MAX_KEYWORD_LENGTH) return -1;
  let h = HASH_SEED;
  for (let i = start; i < end; i++) h = hashStep(h, lower(text.charCodeAt(i)));
  let slot = h & MASK;
  for (;;) {
    const index = (slots[slot] as number) - 1;
    if (index < 0) return -1;
    const word = (ENTRIES[index] as KeywordEntry).word;
    if (word.length === len && sameWord(word, text, start)) return index;
    slot = (slot + 1) & MASK;
  }
}

function sameWord(word: string, text: string, start: number): boolean {
  for (let i = 0; i < word.length; i++) {
    if (word.charCodeAt(i) !== lower(text.charCodeAt(start + i))) return false;
  }
  return true;
}

export function keywordType(index: number): TokenType {
  return (ENTRIES[index] as KeywordEntry).type;
}

export function keywordFlags(index: number): number {
  return (ENTRIES[index] as KeywordEntry).flags;
}

export function keywordKw(index: number): Kw {
  return (ENTRIES[index] as KeywordEntry).kw;
}
