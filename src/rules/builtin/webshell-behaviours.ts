// What webshell code does, as patterns over normalised code: each behaviour gives the reason shown in the report.

/**
 * How a behaviour is found in normalised code (one space only between two word characters, case kept):
 * - `pattern`: a self-contained expression;
 * - `anchor` + `then: 'input-start'`: the call's argument begins with request data (`File.Delete(Request[...`);
 * - `anchor` + `then: 'input-near'`: request data occurs within `within` characters, before a `;`, `}` or tag;
 * - `anchor` + `then: 'input-first-arg'`: request data occurs in the call's first argument (a path, a name);
 * - `requires`: expressions that must also occur somewhere in the file.
 * Every expression is linear: fixed anchors, bounded runs that cannot overlap.
 */
export interface Behaviour {
  id: string;
  reason: string;
  /** Strong behaviours prove a webshell by themselves; weak ones count only together. */
  strong: boolean;
  pattern?: RegExp;
  anchor?: RegExp;
  /** What must follow the anchor: request data as the argument, request data near it, or this expression near it. */
  then?: 'input-start' | 'input-near' | 'input-first-arg' | RegExp;
  within?: number;
  requires?: RegExp[];
  /** Weak unless one of these also occurs (a shell named, request data read anywhere). */
  strongIf?: RegExp[];
}

/** Request data as ASP.NET, classic ASP and JScript pages reach it. */
const REQUEST = String.raw`(?:(?<![\w])request(?:\.(?:item|form|querystring|params|headers|cookies|servervariables|files|inputstream|binaryread|unvalidated|getbufferlessinputstream|getbufferedinputstream)(?![\w])|\[|\()|httputility\.parsequerystring\(|getproperty\(["']request["']\))`;
/** Text typed into the page's own controls (TextBox.Text, a list's selected value). */
export const CONTROL = String.raw`(?<![\w.])\w{1,60}\.(?:text|value|selectedvalue|selecteditem\.value|selecteditem\.text)(?![\w(])`;
/** Wrappers that keep the request's value: conversions, decoding, mapping to a path. */
export const WRAPPERS = String.raw`(?:\(\w{1,20}\))?(?:(?:convert\.tostring|system\.convert\.tostring|server\.urldecode|httputility\.urldecode|server\.mappath|path\.getfullpath|(?:system\.)?(?:text\.)?encoding\.\w{1,12}\.getstring|(?:system\.)?convert\.frombase64string|new ?(?:system\.)?uri|string\.format|path\.combine)\(){0,4}`;

/** Request data or control text at the start of an expression, reached through an owner (`context.Request`). */
export const INPUT_BASE = String.raw`(?:(?:\w{1,30}\.){0,3}${REQUEST}|${CONTROL})`;

const FILE_WRITE = String.raw`streamwriter|filestream|file\.create|createtext|appendtext|\.openwrite|adodb\.stream|file\.writeall|file\.appendall`;
const SCRIPT_FILE = String.raw`\.(?:aspx|asp|ashx|asmx|asa|cer|cdx|cshtml|vbhtml|soap|svc|php|jsp|asax|ascx)["')]`;
const SHELL = /cmd\.exe|["']cmd["']|cmd\s?\/c|["']\/c|powershell|pwsh|cscript|wscript\.exe|\/bin\/sh|bash/i;

const re = (s: string) => new RegExp(s, 'gi');

export const BEHAVIOURS: readonly Behaviour[] = [
  {
    id: 'eval-request',
    reason: 'evaluates request data as code (China Chopper-style eval/Execute of a request value)',
    strong: true,
    anchor: re(String.raw`(?<![\w.])(?:eval|execute|executeglobal)(?:\(| (?=request))`),
    then: 'input-near',
    within: 200,
  },
  {
    id: 'eval-unsafe',
    reason: 'evaluates code in JScript unsafe mode (eval(..., "unsafe"))',
    strong: true,
    anchor: re(String.raw`(?<![\w.])eval\(`),
    then: re(String.raw`,["']unsafe["']\)`),
    within: 400,
  },
  {
    id: 'jscript-evaluator',
    reason: 'calls the JScript evaluator directly (compiled China Chopper)',
    strong: true,
    pattern: re(String.raw`microsoft\.jscript\.eval|jscriptevaluate\(|vsaengine\.create`),
  },
  {
    id: 'runtime-compile',
    reason: 'compiles source code at run time (CodeDom/Roslyn)',
    strong: true,
    pattern: re(
      String.raw`compileassemblyfrom(?:source|file|dom)|(?:csharp|vb|jscript)codeprovider|codedomprovider\.createprovider|csharpcompilation\.create`,
    ),
  },
  {
    id: 'assembly-load',
    reason: 'loads a .NET assembly from bytes in memory (Godzilla, Behinder, AntSword loaders)',
    strong: true,
    pattern: re(
      String.raw`(?<![\w])assembly\.load\((?!["'])|currentdomain\.load\((?!["'])|getmethod\(["']load["']|invokemember\(["']load["']|\.load\(\w{1,40}\)\.createinstance\(`,
    ),
  },
  {
    id: 'process-input',
    reason: 'runs a command taken from the request',
    strong: true,
    anchor: re(
      String.raw`\.arguments=|\.filename=|processstartinfo\(|process\.start\(|\.exec\(|\.run\(|(?<![\w.])shell\(`,
    ),
    then: 'input-near',
    within: 200,
  },
  {
    id: 'process-shell',
    reason: 'starts processes from the web page (command shell)',
    strong: false,
    pattern: re(
      String.raw`processstartinfo|process\.start\(|\.startinfo(?![\w])|new ?(?:system\.diagnostics\.)?process\(\)|["']system\.diagnostics\.process["']|\.shellexecute\(|interaction\.shell\(`,
    ),
    strongIf: [SHELL, re(REQUEST), /\[webmethod/i],
  },
  {
    id: 'shell-object',
    reason:
      'creates a shell object or process through COM/WMI/Win32 (WScript.Shell, Win32_Process, CreateProcess)',
    strong: true,
    pattern: re(
      String.raw`wscript\.shell|shell\.application|win32_process|createprocess(?:a|w|asuser\w?|withlogon\w?)?\(|winexec\(`,
    ),
  },
  {
    id: 'sql-input',
    reason: 'runs SQL or opens database connections given by the request (SQL shell)',
    strong: true,
    anchor: re(
      String.raw`(?:sqlcommand|oledbcommand|odbccommand|sqldataadapter|oledbdataadapter)\(|\.commandtext=|(?<![\w])(?:conn|connection|cn|db)\.execute\(`,
    ),
    then: 'input-start',
  },
  {
    id: 'sql-connection-input',
    reason: 'connects to databases named by the request (SQL shell)',
    strong: true,
    anchor: re(String.raw`(?:sqlconnection|oledbconnection|odbcconnection)\(`),
    then: 'input-first-arg',
  },
  {
    id: 'sql-connection-input',
    reason: 'connects to databases named by the request (SQL shell)',
    strong: true,
    anchor: re(String.raw`connectionstring=`),
    then: 'input-near',
    within: 300,
  },
  {
    id: 'sql-shell',
    reason: 'calls SQL Server procedures that run commands (xp_cmdshell, sp_oacreate)',
    strong: true,
    pattern: re(String.raw`xp_cmdshell|sp_oacreate|sp_oamethod|sp_addextendedproc|sp_makewebtask`),
  },
  {
    id: 'file-write-input',
    reason:
      'writes, deletes or moves files at paths taken from the request (uploader, file manager, dropper)',
    strong: true,
    anchor: re(
      String.raw`\.saveas\(|streamwriter\(|filestream\(|\.savetofile\(|file\.(?:writealltext|writeallbytes|writealllines|appendalltext|delete|move|copy|create|createtext|appendtext|open|openwrite|setattributes|setcreationtime|setlastwritetime|setlastaccesstime)\(|directory\.(?:delete|move|createdirectory)\(`,
    ),
    then: 'input-first-arg',
  },
  {
    id: 'file-read-input',
    reason: 'lists or reads files at paths taken from the request (file browser)',
    strong: true,
    anchor: re(
      String.raw`file\.(?:openread|readallbytes|readalltext|readalllines|opentext)\(|directory\.(?:getfiles|getdirectories|getfilesystementries)\(|directoryinfo\(|fileinfo\(|(?:writefile|transmitfile)\(`,
    ),
    then: 'input-start',
  },
  {
    id: 'write-request-data',
    reason: 'writes request data into a file',
    strong: false,
    anchor: re(
      String.raw`(?<!response|output)\.write(?:line)?\(|file\.(?:writealltext|writeallbytes|appendalltext)\(`,
    ),
    then: 'input-near',
    within: 300,
    requires: [re(FILE_WRITE)],
  },
  {
    id: 'write-script-file',
    reason: 'writes a script file that IIS would run (dropper)',
    strong: true,
    anchor: re(
      String.raw`(?:createtext|streamwriter|writealltext|appendalltext|filestream|saveas|file\.create|file\.copy|file\.move|copyto|moveto)\(`,
    ),
    then: re(SCRIPT_FILE),
    within: 200,
  },
  {
    id: 'socket-input',
    reason: 'opens network connections to hosts taken from the request (reGeorg/Tunna-style tunnel)',
    strong: true,
    anchor: re(
      String.raw`ipaddress\.parse\(|new ?ipendpoint\(|new ?tcpclient\(|new ?udpclient\(|\.connect\(|dns\.gethost(?:addresses|entry|byname)\(`,
    ),
    then: 'input-start',
  },
  {
    id: 'socket-session',
    reason: 'keeps a network socket in the session between requests (tunnel)',
    strong: true,
    pattern: re(
      String.raw`session(?:\.add)?[[(]["'][^"']{0,40}(?:socket|sock|tcp)[^"']{0,40}["'](?:\]=|,)|\(socket\)(?:\w{1,20}\.){0,2}session\[`,
    ),
  },
  {
    id: 'raw-socket',
    reason: 'captures network traffic with a raw socket (sniffer)',
    strong: true,
    pattern: re(String.raw`sockettype\.raw|iocontrolcode\.receiveall|sio_rcvall|\.iocontrol\(`),
  },
  {
    id: 'xslt-script',
    reason: 'XSLT stylesheet with embedded script (XSLT loader)',
    strong: true,
    pattern: re(String.raw`msxsl:script`),
    requires: [re(String.raw`eval\(|system\.diagnostics|process|request|assembly|createobject`)],
  },
  {
    id: 'xslt-trusted',
    reason: 'runs an XSLT transform with scripts enabled on request data',
    strong: true,
    pattern: re(String.raw`xsltsettings\.trustedxslt|new ?xsltsettings\(true|enablescript=true`),
    requires: [re(String.raw`\.transform\(`), re(`${REQUEST}|frombase64string`)],
  },
  {
    id: 'reflection-input',
    reason: 'calls .NET types or methods named by the request (reflection)',
    strong: true,
    anchor: re(
      String.raw`type\.gettype\(|\.getmethod\(|\.invokemember\(|activator\.createinstance\(|\.gettype\(|\.createinstance\(`,
    ),
    then: 'input-start',
  },
  {
    id: 'powershell-input',
    reason: 'runs PowerShell taken from the request',
    strong: true,
    anchor: re(String.raw`\.addscript\(|\.addcommand\(|runspaceinvoke\(|\.invoke\(`),
    then: 'input-start',
    requires: [re(String.raw`system\.management\.automation|powershell\.create|runspacefactory`)],
  },
  {
    id: 'decode-request',
    reason: 'decodes base64 request data',
    strong: false,
    pattern: re(String.raw`frombase64string\(${WRAPPERS}${REQUEST}`),
  },
  {
    id: 'decrypt',
    reason: 'decrypts data it receives (encrypted payload channel)',
    strong: false,
    pattern: re(String.raw`createdecryptor\(|transformfinalblock\(`),
    requires: [re(REQUEST)],
  },
  {
    id: 'drives',
    reason: "lists the server's drives",
    strong: false,
    pattern: re(String.raw`getlogicaldrives\(|driveinfo\.getdrives\(|new ?driveinfo\(`),
  },
  {
    id: 'upload',
    reason: 'saves uploaded files',
    strong: false,
    pattern: re(String.raw`\.saveas\(|request\.files\[`),
  },
  {
    id: 'timestomp',
    reason: 'changes file times (timestomping)',
    strong: false,
    pattern: re(
      String.raw`\.set(?:creation|lastwrite|lastaccess)time(?:utc)?\(|\.(?:creation|lastwrite|lastaccess)time(?:utc)?=`,
    ),
  },
  {
    id: 'powershell',
    reason: 'hosts PowerShell',
    strong: false,
    pattern: re(
      String.raw`runspacefactory\.createrunspace|powershell\.create\(|system\.management\.automation\.runspaces`,
    ),
  },
  {
    id: 'upload-client-name',
    reason: 'saves uploads under the file name the client sent',
    strong: false,
    anchor: re(String.raw`\.saveas\(|filestream\(|file\.create\(|file\.writeallbytes\(`),
    then: re(String.raw`\.filename\)`),
    within: 200,
  },
  {
    id: 'password-gate',
    reason: 'checks a hard-coded key sent with the request (password-protected tool)',
    strong: false,
    pattern: re(
      String.raw`(?:request(?:\.\w{1,20})?\[["'][^"'\]]{0,40}(?:pass|pwd|key|auth|token|secret)[^"'\]]{0,40}["']\]|(?<![\w.])\w{0,30}(?:pass|pwd|key|auth|token|secret)\w{0,30}\.text)(?:!=|==)(?:"[^"\n]{3,80}"|\w{3,40}(?![\w(.]))`,
    ),
  },
  {
    id: 'sockets',
    reason: 'uses network sockets from a page',
    strong: false,
    pattern: re(String.raw`(?:import namespace=|using )["']?system\.net\.sockets`),
  },
  {
    id: 'fetch-input',
    reason: 'fetches URLs taken from the request (proxy)',
    strong: false,
    anchor: re(
      String.raw`downloadstring\(|downloaddata\(|downloadfile\(|webrequest\.create\(|httpwebrequest\)webrequest\.create\(`,
    ),
    then: 'input-start',
  },
];
