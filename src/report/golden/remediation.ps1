# exhunt remediation script
# From the scan of /evidence/"><img src=x onerror="window.__pwned=2"> finished 2021-03-10T00:00:01.000Z (exhunt 0.0.0-test), verdict: compromised.
# For host (not named: pass -ExpectedHost); Exchange installed in the folder ExchangeInstallPath names.
# It refuses to run, changing nothing, on another host or where that folder does not exist.
# Reversible steps only: files are moved to a quarantine folder after their SHA-256 is checked (never
# deleted), script is cleared from virtual directory URLs (the old value is logged), export requests are
# suspended, role assignments, accounts, services and scheduled tasks are disabled.
# Dry run unless -Apply is given; every action is logged to a transcript in the quarantine folder.
# Each step names its checklist item: tick it in the dashboard once the transcript shows it done.
# Run it on the Exchange server, as an administrator, in the Exchange Management Shell:
#   .\exhunt-remediation.ps1            # shows what it would do
#   .\exhunt-remediation.ps1 -Apply     # does it
# Steps of the plan that are for people, not this script (see the report):
#   1. Preserve the evidence first [checklist item preserve-evidence]
#   2. Block the attacker addresses and restrict the admin interfaces [checklist item block-addresses]
#   4. Remove mailbox export requests, role assignments and mailbox permissions [checklist item remove-exports-and-roles]
#   6. Reset the credentials that were exposed [checklist item reset-credentials]
#   7. Install the missing updates (server build unknown) [checklist item apply-updates]
#   8. Until the updates are installed: mitigations [checklist item mitigate]
#   9. Scan again and compare [checklist item rescan]

#Requires -Version 5.1
[CmdletBinding()]
param(
    # Without -Apply nothing is changed: every action is only logged (a dry run, as -WhatIf).
    [switch]$Apply,
    [string]$QuarantineRoot = ($env:SystemDrive + '\exhunt-quarantine'),
    [string]$SystemDrive = $env:SystemDrive,
    # The host this script was made for; another value only after checking it is the same server.
    [string]$ExpectedHost = '',
    # Where the scan found Exchange installed; the script refuses to run where it does not exist.
    [string]$InstallPath = $env:ExchangeInstallPath
)
Set-StrictMode -Version 3.0
$ErrorActionPreference = 'Stop'

function Stop-Refused([string]$Why) {
    Write-Host ('REFUSED, nothing was changed: ' + $Why) -ForegroundColor Red
    exit 2
}

# The names of this computer: NetBIOS name, DNS host name and, in a domain, the full DNS name.
$IpProperties = [Net.NetworkInformation.IPGlobalProperties]::GetIPGlobalProperties()
$HereNames = @(@($env:COMPUTERNAME, $IpProperties.HostName) | Where-Object { $_ } | ForEach-Object { $_.ToLowerInvariant() })
if ($IpProperties.DomainName) { $HereNames += ($IpProperties.HostName + '.' + $IpProperties.DomainName).ToLowerInvariant() }
$Wanted = $ExpectedHost.Trim().ToLowerInvariant()
if (-not $Wanted) {
    Stop-Refused ('the report names no host for this script. Check that this computer (' + $env:COMPUTERNAME + ') is the server the scan was of, then run again with -ExpectedHost ' + $env:COMPUTERNAME)
}
# A short name must be this computer's name; a full name its full DNS name (outside a domain: its first label).
$HostMatches = if ($Wanted.Contains('.')) {
    ($HereNames -contains $Wanted) -or (-not $IpProperties.DomainName -and ($HereNames -contains $Wanted.Split('.')[0]))
} else {
    $HereNames -contains $Wanted
}
if (-not $HostMatches) {
    Stop-Refused ('this script was made for host ' + $ExpectedHost + ' but this computer is ' + ($HereNames -join ' / ') + '. Run it on ' + $ExpectedHost + '; if that is only the name the fleet gave this server, run again with -ExpectedHost ' + $env:COMPUTERNAME)
}
if (-not $InstallPath) {
    Stop-Refused ('no Exchange install folder is known (the report names none and ExchangeInstallPath is not set): is Exchange installed here? Run again with -InstallPath')
}
if (-not [IO.Directory]::Exists($InstallPath)) {
    Stop-Refused ('the Exchange install folder ' + $InstallPath + ' does not exist on this computer (ExchangeInstallPath is ' + $env:ExchangeInstallPath + '): is this the Exchange server the scan was of? If Exchange was moved, run again with -InstallPath')
}
Write-Host ('Host ' + $env:COMPUTERNAME + ' is ' + $ExpectedHost + '; Exchange is installed in ' + $InstallPath)

$DryRun = -not $Apply
$Stamp = [DateTime]::UtcNow.ToString('yyyyMMddTHHmmssZ')
$Quarantine = [IO.Path]::Combine($QuarantineRoot, $Stamp)
$null = [IO.Directory]::CreateDirectory($QuarantineRoot)
$Transcript = [IO.Path]::Combine($QuarantineRoot, 'exhunt-remediation-' + $Stamp + '.log')
$Manifest = [IO.Path]::Combine($Quarantine, 'manifest.csv')
$Summary = [ordered]@{ Moved = 0; LeftInPlace = 0; Absent = 0; Changed = 0; Failed = 0 }
Start-Transcript -LiteralPath $Transcript -Append | Out-Null

function Write-Action([string]$Text) {
    $mode = if ($DryRun) { 'DRY RUN' } else { 'APPLY' }
    Write-Host ('{0} [{1}] {2}' -f [DateTime]::UtcNow.ToString('o'), $mode, $Text)
}

# One failing step is logged and counted; the others still run.
function Invoke-Step([string]$Title, [scriptblock]$Body) {
    Write-Host ''
    Write-Host ('== ' + $Title)
    try { & $Body } catch { Write-Action ('FAILED: ' + $_.Exception.Message); $Summary.Failed++ }
}

function Test-ExchangeShell {
    if (-not (Get-Command Get-OabVirtualDirectory -ErrorAction SilentlyContinue)) {
        try { Add-PSSnapin Microsoft.Exchange.Management.PowerShell.SnapIn -ErrorAction Stop } catch { }
    }
    if (Get-Command Get-OabVirtualDirectory -ErrorAction SilentlyContinue) { return $true }
    Write-Action 'Exchange cmdlets are not available: run this script in the Exchange Management Shell'
    $Summary.Failed++
    return $false
}

# Moves a file into the quarantine folder (keeping its path below it) only if its SHA-256 is the expected one.
function Move-ToQuarantine([string]$Path, [string]$Sha256) {
    if (-not [IO.File]::Exists($Path)) { Write-Action ('absent, nothing to do: ' + $Path); $Summary.Absent++; return }
    $actual = (Get-FileHash -LiteralPath $Path -Algorithm SHA256).Hash.ToLowerInvariant()
    if (-not $Sha256) {
        Write-Action ('left in place, no expected hash in the report (review by hand; sha256 ' + $actual + '): ' + $Path)
        $Summary.LeftInPlace++
        return
    }
    if ($actual -ne $Sha256) {
        Write-Action ('left in place, the hash differs (expected ' + $Sha256 + ', found ' + $actual + '): ' + $Path)
        $Summary.LeftInPlace++
        return
    }
    $relative = $Path -replace '^[A-Za-z]:\\', '' -replace '^\\\\', 'UNC\'
    $dest = [IO.Path]::Combine($Quarantine, $relative)
    Write-Action ('move ' + $Path + ' -> ' + $dest + ' (sha256 ' + $actual + ')')
    if ($DryRun) { return }
    if (-not [IO.Directory]::Exists($Quarantine)) {
        $null = [IO.Directory]::CreateDirectory($Quarantine)
        # Only administrators and SYSTEM may read what is quarantined: webshells, dumps with credentials.
        $null = & icacls.exe $Quarantine /inheritance:r /grant:r '*S-1-5-32-544:(OI)(CI)F' '*S-1-5-18:(OI)(CI)F'
    }
    $null = [IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($dest))
    [IO.File]::Move($Path, $dest)
    [pscustomobject]@{ Original = $Path; Quarantined = $dest; Sha256 = $actual; MovedAt = [DateTime]::UtcNow.ToString('o') } |
        Export-Csv -LiteralPath $Manifest -Append -NoTypeInformation
    $Summary.Moved++
}

# Clears ExternalUrl and InternalUrl of a virtual directory type where they hold script; the old value is logged.
function Clear-ScriptedUrl([string]$Type) {
    foreach ($vdir in @(& ('Get-' + $Type + 'VirtualDirectory') -Server $env:COMPUTERNAME)) {
        foreach ($property in 'ExternalUrl', 'InternalUrl') {
            if (-not $vdir.PSObject.Properties[$property]) { continue }
            $value = [string]$vdir.$property
            if ($value -notmatch '<\s*script|runat\s*=|Page_Load|eval\s*\(') { continue }
            Write-Action ('clear ' + $property + ' of ' + $vdir.Identity + ' (was: ' + $value + ')')
            $Summary.Changed++
            if ($DryRun) { continue }
            $params = @{ Identity = $vdir.Identity; $property = $null }
            & ('Set-' + $Type + 'VirtualDirectory') @params
        }
    }
}

function Suspend-ExportRequest([string]$Mailbox) {
    foreach ($r in @(Get-MailboxExportRequest -Mailbox $Mailbox -ErrorAction SilentlyContinue)) {
        Write-Action ('suspend export request ' + $r.Identity + ' (file ' + $r.FilePath + ')')
        $Summary.Changed++
        if (-not $DryRun) { Suspend-MailboxExportRequest -Identity $r.Identity -Confirm:$false }
    }
}

function Disable-RoleAssignment([string]$User, [string]$Role) {
    foreach ($a in @(Get-ManagementRoleAssignment -RoleAssignee $User -ErrorAction SilentlyContinue)) {
        if ($Role -and [string]$a.Role -ne $Role) { continue }
        Write-Action ('disable role assignment ' + $a.Name + ' (' + $a.Role + ' to ' + $a.RoleAssigneeName + ')')
        $Summary.Changed++
        if (-not $DryRun) { Set-ManagementRoleAssignment -Identity $a.Identity -Enabled $false -Confirm:$false }
    }
}

# Names are compared exactly: the cmdlets' -Name parameters take wildcards, which a name from a log must not be.
function Disable-LocalAccount([string]$Name) {
    $user = @(Get-LocalUser | Where-Object { $_.Name -eq $Name })
    if ($user.Count -eq 0) { Write-Action ('no local account ' + $Name + ' here: check Active Directory (Disable-ADAccount)'); return }
    Write-Action ('disable local account ' + $Name)
    $Summary.Changed++
    if (-not $DryRun) { $user | Disable-LocalUser }
}

function Disable-ServiceByName([string]$Name) {
    $svc = @(Get-Service | Where-Object { $_.Name -eq $Name -or $_.DisplayName -eq $Name })
    if ($svc.Count -eq 0) { Write-Action ('no service ' + $Name + ' here'); return }
    foreach ($s in $svc) {
        Write-Action ('stop and disable service ' + $s.Name + ' (start type was ' + $s.StartType + ')')
        $Summary.Changed++
        if (-not $DryRun) { Stop-Service -InputObject $s -Force; Set-Service -InputObject $s -StartupType Disabled }
    }
}

function Disable-TaskByName([string]$Name) {
    $task = @(Get-ScheduledTask | Where-Object { $_.TaskName -eq $Name -or ($_.TaskPath + $_.TaskName) -eq $Name })
    if ($task.Count -eq 0) { Write-Action ('no scheduled task ' + $Name + ' here'); return }
    Write-Action ('disable scheduled task ' + $Name)
    $Summary.Changed++
    if (-not $DryRun) { $task | Disable-ScheduledTask | Out-Null }
}

function Restart-ExchangePool([string]$Pool) {
    Write-Action ('recycle application pool ' + $Pool)
    if (-not $DryRun) { $null = & ($env:windir + '\System32\inetsrv\appcmd.exe') recycle apppool ('/apppool.name:' + $Pool) }
}

# Checklist item quarantine-files: Quarantine the webshells and staged files
Invoke-Step '3. Quarantine the webshells and staged files [checklist item quarantine-files]' {
    Move-ToQuarantine ($SystemDrive + '\inetpub\wwwroot\aspnet_client\<script>window.__pwned=1;alert(1)<\script>.aspx') '1111111111111111111111111111111111111111111111111111111111111111'
    Move-ToQuarantine ($SystemDrive + '\inetpub\wwwroot\aspnet_client\it''s ’’here’’ $(calc).aspx') '2222222222222222222222222222222222222222222222222222222222222222'
    # SKIPPED, handle by hand (control characters or no place on this server): inetpub/wwwroot/aspnet_client/bad\x0d\nRemove-Item C:\ -Recurse.aspx
    Restart-ExchangePool 'MSExchangeOWAAppPool'
    Restart-ExchangePool 'MSExchangeECPAppPool'
}

# Checklist item remove-persistence: Remove persistence: services, scheduled tasks and accounts
Invoke-Step '5. Remove persistence: services, scheduled tasks and accounts [checklist item remove-persistence]' {
    Disable-LocalAccount 'evil'';'
}

Write-Host ('Checklist items this script covers: ' + 'quarantine-files, remove-persistence')
Write-Host ''
Write-Action (($Summary.Keys | ForEach-Object { $_ + ' ' + $Summary[$_] }) -join ', ')
if ($DryRun) { Write-Host 'Dry run: nothing was changed. Run again with -Apply to carry out the actions above.' }
Write-Host ('Transcript: ' + $Transcript)
Stop-Transcript | Out-Null
