// The fixed part of the generated remediation script: parameters, transcript, and the reversible actions.

/**
 * No value from a report is in these texts; the generated part calls their functions with quoted literals.
 * The script is PARAMS, the generated `$ExpectedHost` and `$InstallPath` parameters, `)`, GUARD, PRELUDE,
 * the steps, EPILOGUE.
 */
export const PARAMS = String.raw`#Requires -Version 5.1
[CmdletBinding()]
param(
    # Without -Apply nothing is changed: every action is only logged (a dry run, as -WhatIf).
    [switch]$Apply,
    [string]$QuarantineRoot = ($env:SystemDrive + '\exhunt-quarantine'),
    [string]$SystemDrive = $env:SystemDrive,
`;

/**
 * Runs before anything is created or changed (even the quarantine folder and the transcript): the script
 * acts only on the host the scan was of, and only where Exchange is installed where the scan found it.
 */
export const GUARD = String.raw`Set-StrictMode -Version 3.0
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

`;

export const PRELUDE = String.raw`$DryRun = -not $Apply
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
`;

export const EPILOGUE = String.raw`
Write-Host ''
Write-Action (($Summary.Keys | ForEach-Object { $_ + ' ' + $Summary[$_] }) -join ', ')
if ($DryRun) { Write-Host 'Dry run: nothing was changed. Run again with -Apply to carry out the actions above.' }
Write-Host ('Transcript: ' + $Transcript)
Stop-Transcript | Out-Null
`;
