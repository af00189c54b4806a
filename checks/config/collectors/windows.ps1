<#
  auditor configuration collector for Windows — read-only.

  Prints ONE JSON document (an "evidence bundle") describing how this
  computer is configured: OS, password and lockout policy, members of the
  local Administrators group, firewall profiles, event log sizes and the
  audit policy, time synchronisation, Microsoft Defender status, Windows
  Update policy, BitLocker, SMBv1 and Remote Desktop (NLA), and the list of
  installed programs and updates.

  What it does NOT do: change any setting, read password hashes or the SAM,
  or send anything anywhere.  `secedit /export` writes the local security
  policy (no passwords) to a temporary file that is deleted right away; only
  its [System Access] section is kept.  Run it in an elevated PowerShell for
  complete results:

      powershell -ExecutionPolicy Bypass -File windows.ps1 -Out C:\audit\PC-01.json
#>
param([string]$Out = "")

$ErrorActionPreference = "SilentlyContinue"
$CollectorVersion = 1

function Invoke-Captured([scriptblock]$Block) {
    # A command's text output and exit code, as the Linux collector records them.
    $output = (& $Block 2>&1 | Out-String)
    @{ rc = $(if ($LASTEXITCODE -ne $null) { $LASTEXITCODE } else { 0 }); output = $output.TrimEnd() }
}

function Get-OrNull([scriptblock]$Block) {
    # $null when a query fails, so "could not tell" never reads as "none found".
    try { ,@(& $Block) } catch { $null }   # the comma keeps an empty or one-item array an array
}

function Get-RegistryValues([string]$Path, [string[]]$Names) {
    $item = Get-ItemProperty -Path $Path
    if ($null -eq $item) { return $null }
    $values = @{}
    foreach ($n in $Names) { if ($null -ne $item.$n) { $values[$n] = $item.$n } }
    $values
}

$commands = @{}
$commands.net_accounts = Invoke-Captured { net accounts }
$commands.auditpol = Invoke-Captured { auditpol /get /category:* /r }
# The backup CSV carries each subcategory's numeric "Setting Value" (1 success, 2 failure, 3 both):
# the same on a Polish Windows, where /r prints translated names ("Sukces i niepowodzenie").
$auditFile = Join-Path $env:TEMP ("auditor-auditpol-" + [guid]::NewGuid() + ".csv")
$commands.auditpol_backup = Invoke-Captured { auditpol /backup /file:$auditFile | Out-Null; Get-Content -Path $auditFile -Raw }
Remove-Item -Path $auditFile -Force
$commands.w32tm_status = Invoke-Captured { w32tm /query /status }
$policyFile = Join-Path $env:TEMP ("auditor-secpol-" + [guid]::NewGuid() + ".inf")
secedit /export /cfg $policyFile /areas SECURITYPOLICY /quiet | Out-Null
$secedit = Get-Content -Path $policyFile -Raw
Remove-Item -Path $policyFile -Force
# Keep only [System Access] (password and lockout policy).
$systemAccess = [regex]::Match($secedit, '(?ms)^\[System Access\].*?(?=^\[)').Value
$commands.secedit = @{ rc = $(if ($systemAccess) { 0 } else { 1 }); output = $systemAccess.TrimEnd() }

$os = Get-CimInstance Win32_OperatingSystem
$objects = @{
    os = @{ caption = $os.Caption; version = $os.Version; build = $os.BuildNumber; product_type = $os.ProductType }
    admins = Get-OrNull { Get-LocalGroupMember -SID "S-1-5-32-544" -ErrorAction Stop | ForEach-Object {
        @{ name = $_.Name; object_class = [string]$_.ObjectClass; source = [string]$_.PrincipalSource } } }
    firewall_profiles = @(Get-NetFirewallProfile | ForEach-Object {
        @{ name = $_.Name; enabled = [string]$_.Enabled; default_inbound = [string]$_.DefaultInboundAction } })
    event_logs = @(Get-WinEvent -ListLog Security, System, Application | ForEach-Object {
        $oldest = Get-WinEvent -LogName $_.LogName -MaxEvents 1 -Oldest
        @{ name = $_.LogName; max_size_bytes = $_.MaximumSizeInBytes; file_size_bytes = $_.FileSize
           mode = [string]$_.LogMode; records = $_.RecordCount
           oldest = $(if ($oldest) { $oldest.TimeCreated.ToUniversalTime().ToString("o") } else { $null }) } })
    event_forwarding = Get-RegistryValues "HKLM:\SOFTWARE\Policies\Microsoft\Windows\EventLog\EventForwarding\SubscriptionManager" @("1")
    log_agents = @(Get-Service -Name "WazuhSvc", "OssecSvc", "nxlog", "SplunkForwarder", "winlogbeat", "elastic-agent" |
        Where-Object { $_.Status -eq "Running" } | ForEach-Object { $_.Name })
    time_service = @{
        status = [string](Get-Service -Name W32Time).Status
        type = (Get-ItemProperty "HKLM:\SYSTEM\CurrentControlSet\Services\W32Time\Parameters").Type }
    defender = $(Get-MpComputerStatus | Select-Object AMServiceEnabled, AntivirusEnabled, RealTimeProtectionEnabled,
        AntivirusSignatureAge, AntivirusSignatureLastUpdated | ForEach-Object {
            @{ am_service_enabled = $_.AMServiceEnabled; antivirus_enabled = $_.AntivirusEnabled
               real_time_protection_enabled = $_.RealTimeProtectionEnabled
               signature_age_days = $_.AntivirusSignatureAge
               signature_last_updated = $(if ($_.AntivirusSignatureLastUpdated) { $_.AntivirusSignatureLastUpdated.ToUniversalTime().ToString("o") }) } })
    av_products = Get-OrNull { Get-CimInstance -Namespace root/SecurityCenter2 -ClassName AntiVirusProduct -ErrorAction Stop |
        ForEach-Object { @{ name = $_.displayName; product_state = $_.productState } } }
    windows_update_policy = Get-RegistryValues "HKLM:\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU" @("NoAutoUpdate", "AUOptions")
    bitlocker = @(Get-BitLockerVolume | ForEach-Object {
        @{ mount_point = $_.MountPoint; volume_type = [string]$_.VolumeType; protection_status = [string]$_.ProtectionStatus
           encryption_percentage = $_.EncryptionPercentage } })
    smb_server = $(Get-SmbServerConfiguration | ForEach-Object {
        @{ enable_smb1 = $_.EnableSMB1Protocol; enable_smb2 = $_.EnableSMB2Protocol } })
    rdp = Get-RegistryValues "HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server" @("fDenyTSConnections")
    rdp_tcp = Get-RegistryValues "HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server\WinStations\RDP-Tcp" @("UserAuthentication", "SecurityLayer")
    chassis_types = @((Get-CimInstance Win32_SystemEnclosure).ChassisTypes)
}

$programs = @(Get-ItemProperty "HKLM:\Software\Microsoft\Windows\CurrentVersion\Uninstall\*",
                               "HKLM:\Software\WOW6432Node\Microsoft\Windows\CurrentVersion\Uninstall\*" |
    Where-Object { $_.DisplayName } | ForEach-Object {
        @{ name = $_.DisplayName; version = [string]$_.DisplayVersion; publisher = [string]$_.Publisher } })
$hotfixes = @(Get-HotFix | ForEach-Object {
    @{ id = $_.HotFixID; installed_on = $(if ($_.InstalledOn) { $_.InstalledOn.ToString("yyyy-MM-dd") }) } })

$bundle = [ordered]@{
    format = "auditor-config-bundle"
    format_version = 1
    platform = "windows"
    host = $env:COMPUTERNAME
    collected_at = (Get-Date).ToUniversalTime().ToString("yyyy-MM-dd'T'HH':'mm':'ss'Z'", [Globalization.CultureInfo]::InvariantCulture)
    collector = @{ name = "auditor-windows-collector"; collector_version = $CollectorVersion; root = "C:\"
                   uid = [Security.Principal.WindowsIdentity]::GetCurrent().Name }
    commands = $commands
    objects = $objects
    packages = @{ format = "windows-programs"; items = $programs; hotfixes = $hotfixes }
}
$json = $bundle | ConvertTo-Json -Depth 6
if ($Out) { [IO.File]::WriteAllText($Out, $json, (New-Object Text.UTF8Encoding $false)) } else { $json }
