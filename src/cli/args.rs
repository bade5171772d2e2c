//! The command-line tree. Every flag and its documentation lives here; the
//! rest of the program sees neutral requests (ops.rs), never clap.

use std::time::Duration;

use clap::builder::{PossibleValue, PossibleValuesParser};
use clap::{ArgGroup, Args, Parser, Subcommand};

use crate::ops::parse_duration;
pub use crate::output::OutputFormat;
use crate::vocab::{self, Vocabulary};

const ABOUT: &str =
    "One set of verbs for VM images on Alibaba Cloud ENS/ECS, AWS EC2 and Huawei Cloud IMS";

const EXAMPLES: &str = "\
Examples:
  imgctl image create --provider ens --instance-id i-5rr1bnyrc4tswr8cq3w6y --name web-v1 --wait
  imgctl image import --provider ens --url oss://tmp-hybrid/image-test --os-type linux \\
                      --format qcow2 --architecture x86_64 --name base-2026
  imgctl image modify --provider ecs --region cn-hangzhou --image-id m-bp18ygjuqnwhechc --status Deprecated
  imgctl create --provider ec2 --instance-id i-1234567890abcdef0 --name web-v1 --no-reboot
  imgctl list --provider ecs --region cn-hangzhou --name-prefix web-
  imgctl copy --provider ec2 --region us-east-1 --image-id ami-0abc --to-region eu-west-1 --wait
  imgctl delete --provider ec2 --region us-east-1 --image-id ami-0abc --delete-snapshots
  imgctl config show --output table
  imgctl configure --profile dev

Guides: `imgctl help ens|ecs|ec2|ims`; exit codes: `imgctl help exit-codes`.";

fn provider_parser() -> PossibleValuesParser {
    PossibleValuesParser::new([
        PossibleValue::new("ens").help("Alibaba Cloud Edge Node Service"),
        PossibleValue::new("ecs").help("Alibaba Cloud Elastic Compute Service"),
        PossibleValue::new("ec2")
            .alias("aws")
            .help("AWS EC2 (alias: aws)"),
        PossibleValue::new("ims")
            .alias("huawei")
            .help("Huawei Cloud IMS (alias: huawei)"),
    ])
}

/// An enumerated flag's values: one canonical spelling each in --help and
/// the completions, the aliases accepted but not listed.
fn values(v: &'static Vocabulary) -> PossibleValuesParser {
    PossibleValuesParser::new(
        v.values
            .iter()
            .map(|(c, aliases)| PossibleValue::new(*c).aliases(aliases.iter().copied())),
    )
}

/// The values a duration setting accepts. Checked as the flag is parsed
/// (exit 2) and, for settings that also come from the environment or a
/// profile, once they are resolved.
#[derive(Debug, Clone, Copy)]
pub struct DurationRange {
    pub min: Duration,
    pub max: Duration,
    /// How `--help` and errors spell the range.
    pub text: &'static str,
}

impl DurationRange {
    pub fn check(&self, d: Duration) -> Result<Duration, String> {
        if d < self.min || d > self.max {
            return Err(format!("out of range: must be {}", self.text));
        }
        Ok(d)
    }

    pub fn parse(&self, s: &str) -> Result<Duration, String> {
        match parse_duration(s) {
            Ok(d) => self.check(d),
            // Past parse_duration's own bound: this flag's range says more.
            Err(e) if e.contains("longer than") => {
                Err(format!("out of range: must be {}", self.text))
            }
            Err(e) => Err(e),
        }
    }
}

pub const WAIT_TIMEOUT: DurationRange = DurationRange {
    min: Duration::from_secs(1),
    max: Duration::from_secs(7 * 86_400),
    text: "from 1s to 7d",
};
pub const POLL_INTERVAL: DurationRange = DurationRange {
    min: Duration::from_millis(10),
    max: Duration::from_secs(3600),
    text: "from 10ms to 1h",
};
/// Connect and read timeouts.
pub const HTTP_TIMEOUT: DurationRange = DurationRange {
    min: Duration::from_millis(100),
    max: Duration::from_secs(3600),
    text: "from 100ms to 1h",
};
pub const EMULATOR_SPEED: DurationRange = DurationRange {
    min: Duration::ZERO,
    max: Duration::from_secs(3600),
    text: "from 0 to 1h",
};

fn wait_timeout(s: &str) -> Result<Duration, String> {
    WAIT_TIMEOUT.parse(s)
}

fn poll_interval(s: &str) -> Result<Duration, String> {
    POLL_INTERVAL.parse(s)
}

fn http_timeout(s: &str) -> Result<Duration, String> {
    HTTP_TIMEOUT.parse(s)
}

fn emulator_speed(s: &str) -> Result<Duration, String> {
    EMULATOR_SPEED.parse(s)
}

#[derive(Debug, Parser)]
#[command(
    name = "imgctl",
    version,
    about = ABOUT,
    after_help = EXAMPLES,
    disable_help_subcommand = true,
    propagate_version = true,
    max_term_width = 100
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Flags accepted before or after the subcommand.
#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// Cloud backend: ens, ecs, ec2 (alias aws), ims (alias huawei). [env: IMGCTL_PROVIDER]
    #[arg(long, global = true, value_name = "PROVIDER", value_parser = provider_parser(), hide_possible_values = true)]
    pub provider: Option<String>,
    /// Region id, e.g. cn-hangzhou, us-east-1, cn-north-4. [env: IMGCTL_REGION, then the cloud's own]
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// imgctl profile from config.toml (or, failing that, the cloud's own profile of that name). [env: IMGCTL_PROFILE]
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// The image service's endpoint, e.g. http://127.0.0.1:8080. [env: IMGCTL_ENDPOINT_URL, AWS_ENDPOINT_URL_EC2, AWS_ENDPOINT_URL]
    #[arg(long, global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Huawei IAM endpoint for tokens and project lookup. [env: IMGCTL_IAM_ENDPOINT_URL, HUAWEICLOUD_SDK_IAM_ENDPOINT]
    #[arg(long, global = true, value_name = "URL")]
    pub iam_endpoint_url: Option<String>,
    /// Output format.
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,
    /// JMESPath expression applied to the JSON result, e.g. image_id.
    #[arg(long, global = true, value_name = "JMESPATH")]
    pub query: Option<String>,
    /// Add the provider's own response under "raw".
    #[arg(long, global = true)]
    pub raw: bool,
    /// Log every HTTP exchange to stderr (credentials redacted).
    #[arg(long, global = true)]
    pub debug: bool,
    /// Check without acting: EC2 and ECS use the cloud's DryRun; ENS and IMS validate locally and, with --debug, show the signed request without sending it.
    #[arg(long, global = true)]
    pub dry_run: bool,
    /// After create, import or copy, wait until the image is usable (or failed).
    #[arg(long, global = true)]
    pub wait: bool,
    /// Give up waiting after this long (exit 6), e.g. 30m, 1h30m; 1s to 7d. [default: 60m]
    #[arg(long, global = true, value_name = "DURATION", value_parser = wait_timeout)]
    pub wait_timeout: Option<Duration>,
    /// Time between status checks while waiting, 10ms to 1h; without it, imgctl starts at 2s and backs off to 15s.
    #[arg(long, global = true, value_name = "DURATION", value_parser = poll_interval)]
    pub poll_interval: Option<Duration>,
    /// While waiting, print no progress on stderr: neither the live line on a terminal nor the status and heartbeat lines in a pipeline (errors and warnings still appear).
    #[arg(long, global = true)]
    pub quiet: bool,
    /// Attempts per HTTP request, retries included (1-10). [env: IMGCTL_MAX_ATTEMPTS] [default: 3]
    #[arg(long, global = true, value_name = "N")]
    pub max_attempts: Option<u32>,
    /// Neither read nor write the on-disk cache of temporary credentials and tokens. [env: IMGCTL_NO_CACHE=true]
    #[arg(long, global = true)]
    pub no_cache: bool,
    /// Connect timeout, 100ms to 1h. [env: IMGCTL_CONNECT_TIMEOUT] [default: 10s]
    #[arg(long, global = true, value_name = "DURATION", value_parser = http_timeout)]
    pub connect_timeout: Option<Duration>,
    /// Read timeout (longest silence while reading an answer), 100ms to 1h. [env: IMGCTL_READ_TIMEOUT] [default: 60s]
    #[arg(long, global = true, value_name = "DURATION", value_parser = http_timeout)]
    pub read_timeout: Option<Duration>,
    /// Huawei authentication: IAM token (user/password) or AK/SK signing. [default: aksk when keys are configured]
    #[arg(long, global = true, value_name = "MODE", value_parser = ["token", "aksk"])]
    pub auth_mode: Option<String>,
    /// Alibaba signature: v3 (ACS3-HMAC-SHA256) or v1 (classic HMAC-SHA1). [env: IMGCTL_SIGNATURE_VERSION] [default: v3]
    #[arg(long, global = true, value_name = "VERSION", value_parser = ["v3", "v1"])]
    pub signature_version: Option<String>,
    /// How failures are written on stderr: text, or json (the text, then one JSON object with exit_code, kind, message, provider, provider_code, http_status, request_id, hint, image_id, retryable as the last line). [env: IMGCTL_ERROR_FORMAT] [default: text]
    #[arg(long, global = true, value_name = "FORMAT", value_parser = ["text", "json"], ignore_case = true)]
    pub error_format: Option<String>,
    /// Run against a local emulator started in this process (no cloud account needed): its endpoint, demo credentials and a default region replace any configuration. [env: IMGCTL_EMULATOR_SPEED, IMGCTL_EMULATOR_FAULTS; IMGCTL_EMULATOR_URL to use a running one]
    #[arg(long, global = true)]
    pub emulator: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create, import, modify, describe, wait for, list, delete and copy images.
    #[command(subcommand)]
    Image(ImageCommand),
    /// Shortcut for `imgctl image create`.
    Create(CreateArgs),
    /// Shortcut for `imgctl image import`.
    Import(ImportArgs),
    /// Shortcut for `imgctl image modify`.
    Modify(ModifyArgs),
    /// Shortcut for `imgctl image describe`.
    Describe(DescribeArgs),
    /// Shortcut for `imgctl image wait`.
    Wait(WaitArgs),
    /// Shortcut for `imgctl image list`.
    List(ListArgs),
    /// Shortcut for `imgctl image delete`.
    Delete(DeleteArgs),
    /// Shortcut for `imgctl image copy`.
    Copy(CopyArgs),
    /// Show what imgctl picked up, and read or write its config file.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// Set up a profile interactively: provider, region and credentials (secrets typed without echo).
    #[command(after_help = "\
Needs a terminal on stdin; scripts use `imgctl config set`. Enter keeps a value shown in brackets.
The file is imgctl's config.toml, created with mode 0600.

Examples:
  imgctl configure
  imgctl configure --profile prod-aws")]
    Configure,
    /// Serve a local emulator of ENS, ECS, EC2 and IAM+IMS until Ctrl-C (endpoint on the first line).
    Emulator(EmulatorArgs),
    /// Print a shell completion script to stdout.
    #[command(
        after_help = "Example:\n  imgctl completion bash > ~/.local/share/bash-completion/completions/imgctl"
    )]
    Completion {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Help on a command or a topic: exit-codes, the provider guides ens, ecs, ec2, ims, and emulator.
    #[command(
        after_help = "Examples:\n  imgctl help exit-codes\n  imgctl help ec2\n  imgctl help image create"
    )]
    Help {
        /// A command path (e.g. image create) or a topic: exit-codes, ens, ecs, ec2, ims, emulator.
        topic: Vec<String>,
    },
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Accepts access key id imgctl-demo, secret imgctl-demo-secret (every provider) and, for Huawei
token mode, user demo, password imgctl-demo-secret, domain demo. Seeded ids, the fault API and
the life cycles are described in docs/emulator.md.

Examples:
  imgctl emulator --listen 127.0.0.1:8080 --speed 0
  imgctl emulator --fault ens:CreateImage:throttle:2 --fault '*:DescribeImages:error503'
  imgctl --emulator create --provider ens --instance-id i-demo-ens --name demo --wait")]
pub struct EmulatorArgs {
    /// Loopback address and port to listen on (a non-loopback address is refused). [default: 127.0.0.1 and a free port]
    #[arg(long, value_name = "ADDR:PORT")]
    pub listen: Option<std::net::SocketAddr>,
    /// Time each life-cycle phase takes, up to 1h; 0 moves an image one phase on per describe. [env: IMGCTL_EMULATOR_SPEED] [default: 2s]
    #[arg(long, value_name = "DURATION", value_parser = emulator_speed)]
    pub speed: Option<Duration>,
    /// Fault to inject, PROVIDER:OPERATION:KIND[:COUNT] with * for any; KIND is throttle, error500, error503, delay, drop, truncate, html or fail_image (repeatable). [env: IMGCTL_EMULATOR_FAULTS, ;-separated]
    #[arg(long = "fault", value_name = "SPEC")]
    pub faults: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum ImageCommand {
    /// Create an image from an instance (or a snapshot).
    Create(CreateArgs),
    /// Import an image file from object storage (oss://, s3://, obs://).
    Import(ImportArgs),
    /// Change an image's attributes.
    Modify(ModifyArgs),
    /// Show an image's current state.
    Describe(DescribeArgs),
    /// Wait until an image, an IMS job or an EC2 import task is done.
    Wait(WaitArgs),
    /// List your own images (every state unless --status says otherwise).
    List(ListArgs),
    /// Delete (deregister) an image.
    Delete(DeleteArgs),
    /// Copy an image to another region.
    Copy(CopyArgs),
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print every resolved setting and exactly where it came from (secrets masked); all providers unless --provider names one.
    #[command(after_help = "\
Each SOURCE names the flag, the variable, or the file, section and key a value came from.
With --output table: columns NAME, VALUE, SOURCE.

Examples:
  imgctl config show
  imgctl config show --provider ecs --profile prod --output table
  imgctl config show --query ec2.region.value --output text")]
    Show,
    /// Write one setting into imgctl's config file (created with mode 0600, never widened).
    #[command(after_help = "\
The profile is --profile, else IMGCTL_PROFILE, else default_profile, else `default`.
Secrets (secret_access_key, session_token, password) are only taken as `-`: read from stdin,
so they stay out of shell history and the process list.

Examples:
  imgctl config set provider ecs --profile dev
  imgctl config set region cn-hangzhou --profile dev
  printf %s \"$SECRET\" | imgctl config set secret_access_key - --profile dev
  imgctl config set default_profile dev")]
    Set {
        /// The setting, named as `config show` names it.
        #[arg(value_name = "KEY", value_parser = PossibleValuesParser::new(super::config_cmd::KEY_NAMES), hide_possible_values = true)]
        key: String,
        /// The value, or - to read it from stdin (required for secrets).
        #[arg(value_name = "VALUE", allow_hyphen_values = true)]
        value: String,
    },
    /// Print one setting as stored in imgctl's config file (secrets as ****; resolved values: config show).
    #[command(
        after_help = "Examples:\n  imgctl config get region --profile dev\n  imgctl config get default_profile"
    )]
    Get {
        /// The setting, named as `config show` names it.
        #[arg(value_name = "KEY", value_parser = PossibleValuesParser::new(super::config_cmd::KEY_NAMES), hide_possible_values = true)]
        key: String,
    },
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Flags by provider (a flag the provider lacks is a usage error, exit 2):
  ens  --name --instance-id --snapshot-id --with-data-disks --delete-instance-after-upload --target-oss-region
  ecs  --name --instance-id --snapshot-id --block-device-mapping --description --tag --client-token
       --family --platform --architecture --boot-mode
  ec2  --name --instance-id --description --tag --snapshot-tag --no-reboot --block-device-mapping
  ims  --name --instance-id --description --tag --data-image --min-ram --max-ram --enterprise-project-id

Examples:
  imgctl image create --provider ens --instance-id i-5rr1bnyrc4tswr8cq3w6y --name web-v1 --wait
  imgctl create --provider ec2 --instance-id i-1234567890abcdef0 --name web-v1 --no-reboot \\
      --block-device-mapping 'DeviceName=/dev/xvda,Ebs={VolumeSize=20,VolumeType=gp3}' --tag team=web
  imgctl create --provider ims --region cn-north-4 --instance-id 877a2cda-ba63-4e1e-b95f-e67e48b6129a \\
      --name ims_test --wait")]
pub struct CreateArgs {
    /// Name of the new image (each cloud's naming rules are checked before sending).
    #[arg(long, value_name = "NAME")]
    pub name: String,
    /// Source instance.
    #[arg(long, value_name = "ID")]
    pub instance_id: Option<String>,
    /// Source snapshot (ens, ecs).
    #[arg(long, value_name = "ID")]
    pub snapshot_id: Option<String>,
    /// Image description.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Tag for the image, KEY=VALUE (repeatable).
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    pub tags: Vec<String>,
    /// Tag for the snapshots EC2 makes, KEY=VALUE (repeatable; ec2).
    #[arg(long = "snapshot-tag", value_name = "KEY=VALUE")]
    pub snapshot_tags: Vec<String>,
    /// Do not reboot the instance before imaging (ec2; file-system integrity is then not guaranteed).
    #[arg(long)]
    pub no_reboot: bool,
    /// Disk mapping (repeatable): DeviceName=/dev/xvda,Ebs={VolumeSize=20}, the AWS CLI's JSON, or device=..,size=..,type=..,snapshot-id=..,disk-type=.. (ec2, ecs).
    #[arg(long = "block-device-mapping", value_name = "SPEC")]
    pub block_device_mappings: Vec<String>,
    /// Include the instance's data disks (ens).
    #[arg(long)]
    pub with_data_disks: bool,
    /// Release the build instance once the image is uploaded (ens).
    #[arg(long)]
    pub delete_instance_after_upload: bool,
    /// Region whose OSS stores the image (ens).
    #[arg(long, value_name = "REGION")]
    pub target_oss_region: Option<String>,
    /// Data-disk image to make as well: name=NAME,volume=VOLUME_ID[,description=TEXT] (repeatable; ims).
    #[arg(long = "data-image", value_name = "SPEC")]
    pub data_images: Vec<String>,
    /// Minimum memory in MB (ims).
    #[arg(long, value_name = "MB")]
    pub min_ram: Option<u32>,
    /// Maximum memory in MB (ims).
    #[arg(long, value_name = "MB")]
    pub max_ram: Option<u32>,
    /// Enterprise project (ims; 0 is the default project).
    #[arg(long, value_name = "ID")]
    pub enterprise_project_id: Option<String>,
    /// Idempotency token, at most 64 ASCII characters (ecs; generated when absent and kept across retries).
    #[arg(long, value_name = "TOKEN")]
    pub client_token: Option<String>,
    /// Image family (ecs).
    #[arg(long, value_name = "NAME")]
    pub family: Option<String>,
    /// OS distribution, e.g. ubuntu, centos, aliyun (ecs; known names in any case, others sent as given).
    #[arg(long, value_name = "NAME")]
    pub platform: Option<String>,
    /// Architecture (ecs: i386, x86_64, arm64). Any case; amd64/x64 mean x86_64, aarch64 arm64.
    #[arg(long, value_name = "ARCH", value_parser = values(&vocab::ARCHITECTURE), ignore_case = true)]
    pub architecture: Option<String>,
    /// Boot mode (ecs: legacy, uefi). Any case; bios means legacy.
    #[arg(long, value_name = "MODE", value_parser = values(&vocab::BOOT_MODE), ignore_case = true)]
    pub boot_mode: Option<String>,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Flags by provider (a flag the provider lacks is a usage error, exit 2):
  ens  --name --url --disk --oss-region --format --os-type --platform --os-version --architecture
       --license-type --compute-type --target-oss-region
  ecs  --name --url --disk --format --os-type --platform --architecture --boot-mode --license-type
       --role-name --description --tag --client-token --min-disk
  ec2  --name --url --disk --format --platform --architecture --boot-mode --license-type --role-name
       --description --tag --client-token
  ims  --name --url --disk --os-type --os-version --architecture --boot-mode --min-disk --description
       --tag --is-config --quick-import

Examples:
  imgctl image import --provider ens --url oss://tmp-hybrid/image-test --os-type linux \\
      --format qcow2 --architecture x86_64 --name base-2026
  imgctl import --provider ec2 --url s3://my-bucket/disk1.vmdk --format VMDK --wait
  imgctl import --provider ims --region cn-north-4 --url obs://bucket/centos.qcow2 --min-disk 40 \\
      --os-version 'CentOS 7.9 64bit' --name base")]
pub struct ImportArgs {
    /// Name of the new image (ec2: set as the Name tag of the import task).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The image file: oss://BUCKET/OBJECT (ens, ecs), s3://BUCKET/KEY (ec2), obs://BUCKET/OBJECT (ims).
    #[arg(long, value_name = "URL")]
    pub url: String,
    /// Extra disk file (repeatable).
    #[arg(long = "disk", value_name = "URL")]
    pub disks: Vec<String>,
    /// Region of the OSS bucket (ens).
    #[arg(long, value_name = "REGION")]
    pub oss_region: Option<String>,
    /// File format, any case: ens qcow2; ecs raw, vhd, qcow2, vmdk; ec2 ova, vhd, vhdx, vmdk, raw.
    #[arg(long, value_name = "FORMAT", value_parser = values(&vocab::FORMAT), ignore_case = true)]
    pub format: Option<String>,
    /// OS type, any case: linux or windows (ens, ecs); linux, windows or other (ims).
    #[arg(long, value_name = "TYPE", value_parser = values(&vocab::OS_TYPE), ignore_case = true)]
    pub os_type: Option<String>,
    /// OS distribution: linux or windows (ec2); e.g. centos, ubuntu (ens); ubuntu, centos, aliyun, anolis (ecs). Known names in any case; ens and ecs take others as given.
    #[arg(long, value_name = "NAME")]
    pub platform: Option<String>,
    /// OS version, e.g. 6.8 (ens) or "CentOS 7.9 64bit" (ims).
    #[arg(long, value_name = "VERSION")]
    pub os_version: Option<String>,
    /// Architecture, any case: x86_64 (ens); i386, x86_64, arm64 (ecs, ec2); x86_64, arm64 (ims). amd64/x64/x86 mean x86_64, aarch64/arm arm64.
    #[arg(long, value_name = "ARCH", value_parser = values(&vocab::ARCHITECTURE), ignore_case = true)]
    pub architecture: Option<String>,
    /// Boot mode, any case: legacy or uefi (ecs, ec2, ims); bios and legacy-bios mean legacy.
    #[arg(long, value_name = "MODE", value_parser = values(&vocab::BOOT_MODE), ignore_case = true)]
    pub boot_mode: Option<String>,
    /// License type, any case: auto, cloud, byol (ecs); cloud, byol (ec2); ens: sent as given. aws and aliyun mean cloud.
    #[arg(long, value_name = "TYPE", value_parser = values(&vocab::LICENSE_TYPE), ignore_case = true)]
    pub license_type: Option<String>,
    /// ENS compute type. [default for ens: ens_vm]
    #[arg(long, value_name = "TYPE")]
    pub compute_type: Option<String>,
    /// Region where ENS stores the image (ens).
    #[arg(long, value_name = "REGION")]
    pub target_oss_region: Option<String>,
    /// System disk size in GB: min_disk (ims; 40-1024), DiskDeviceMapping.1.DiskImageSize (ecs).
    #[arg(long, value_name = "GB")]
    pub min_disk: Option<u32>,
    /// RAM role that lets the cloud read the bucket (ecs, ec2; ec2 default vmimport).
    #[arg(long, value_name = "NAME")]
    pub role_name: Option<String>,
    /// Image description.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// Tag, KEY=VALUE (repeatable).
    #[arg(long = "tag", value_name = "KEY=VALUE")]
    pub tags: Vec<String>,
    /// Idempotency token (ecs, ec2; generated when absent and kept across retries).
    #[arg(long, value_name = "TOKEN")]
    pub client_token: Option<String>,
    /// Let IMS configure drivers in the image (ims).
    #[arg(long)]
    pub is_config: bool,
    /// Use the quick-import path for ZVHD2 and RAW files (ims; needs --os-version).
    #[arg(long)]
    pub quick_import: bool,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Flags by provider (a flag the provider lacks is a usage error, exit 2):
  ens  --image-id --name (ENS can only rename)
  ecs  --image-id --name --description --status --family --boot-mode --license-type --nvme-support
       --imds-support
  ec2  --image-id --description --imds-support --launch-permission-add --launch-permission-remove
       --make-public --make-private
  ims  --image-id --name --description --boot-mode --min-ram --max-ram

Examples:
  imgctl image modify --provider ecs --region cn-hangzhou --image-id m-bp18ygjuqnwhechc --status Deprecated
  imgctl modify --provider ec2 --image-id ami-0abc --launch-permission-add 123456789012
  imgctl modify --provider ims --image-id 33ad552d-1149-471c-8575-f1d02b9f3d1d --name renamed")]
pub struct ModifyArgs {
    /// The image to change.
    #[arg(long, value_name = "ID")]
    pub image_id: String,
    /// New name.
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// New description.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// deprecated or available, any case (ecs). Deprecating the only available image of a family stops instances being created from that family.
    #[arg(long, value_name = "STATUS", value_parser = values(&vocab::STATUS), ignore_case = true)]
    pub status: Option<String>,
    /// Image family (ecs).
    #[arg(long, value_name = "NAME")]
    pub family: Option<String>,
    /// Boot mode, any case: legacy, uefi, uefi-preferred (ecs); legacy, uefi (ims). bios means legacy.
    #[arg(long, value_name = "MODE", value_parser = values(&vocab::BOOT_MODE), ignore_case = true)]
    pub boot_mode: Option<String>,
    /// License type: byol (ecs).
    #[arg(long, value_name = "TYPE", value_parser = values(&vocab::LICENSE_TYPE), ignore_case = true)]
    pub license_type: Option<String>,
    /// NVMe support, any case: supported or unsupported (ecs).
    #[arg(long, value_name = "VALUE", value_parser = values(&vocab::NVME_SUPPORT), ignore_case = true)]
    pub nvme_support: Option<String>,
    /// Metadata access: v1 or v2 (ecs); v2 (ec2, sent as v2.0). IRREVERSIBLE: once v2, an image never goes back to v1.
    #[arg(long, value_name = "VALUE", value_parser = values(&vocab::IMDS_SUPPORT), ignore_case = true)]
    pub imds_support: Option<String>,
    /// Grant launch permission to an AWS account id (repeatable; ec2).
    #[arg(long = "launch-permission-add", value_name = "ACCOUNT")]
    pub launch_permission_add: Vec<String>,
    /// Revoke launch permission from an AWS account id (repeatable; ec2).
    #[arg(long = "launch-permission-remove", value_name = "ACCOUNT")]
    pub launch_permission_remove: Vec<String>,
    /// Make the AMI public (launch permission group all; ec2).
    #[arg(long)]
    pub make_public: bool,
    /// Make the AMI private again (ec2).
    #[arg(long)]
    pub make_private: bool,
    /// Minimum memory in MB (ims).
    #[arg(long, value_name = "MB")]
    pub min_ram: Option<u32>,
    /// Maximum memory in MB (ims).
    #[arg(long, value_name = "MB")]
    pub max_ram: Option<u32>,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "Example:\n  imgctl image describe --provider ens --image-id m-5xxgg")]
pub struct DescribeArgs {
    /// The image to show.
    #[arg(long, value_name = "ID")]
    pub image_id: String,
}

#[derive(Debug, Clone, Args)]
#[command(group(ArgGroup::new("target").required(true).args(["image_id", "job_id", "task_id"])))]
#[command(after_help = "\
Exit status: 0 when done, 6 on --wait-timeout (ids printed), 7 when the image or job failed.

Examples:
  imgctl image wait --provider ens --image-id m-5xxgg --wait-timeout 2h
  imgctl wait --provider ims --job-id ff8080814dbd65d7014dbe0d84db0013
  imgctl wait --provider ec2 --task-id import-ami-0123456789abcdef0")]
pub struct WaitArgs {
    /// Wait until this image is available.
    #[arg(long, value_name = "ID")]
    pub image_id: Option<String>,
    /// Follow this IMS job to its image (ims).
    #[arg(long, value_name = "ID")]
    pub job_id: Option<String>,
    /// Follow this EC2 import task to its image (ec2).
    #[arg(long, value_name = "ID")]
    pub task_id: Option<String>,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Every page is followed (up to --limit). Name filters are exact (--name) or a true prefix
(--name-prefix) on every provider, whatever the cloud's own filter does; --status takes the
cloud's own state names in any case (ims also accepts available for active):
  ens  Creating Packing Uploading Pack_failed Upload_failed Available Unavailable Copying
  ecs  Creating Waiting Available UnAvailable CreateFailed Deprecated
  ec2  pending available invalid deregistered transient failed error disabled
  ims  queued saving active killed deleted

Examples:
  imgctl image list --provider ens --name-prefix web-
  imgctl list --provider ecs --region cn-hangzhou --status available --output table
  imgctl list --provider ec2 --region us-east-1 --query 'images[].image_id' --output text
  imgctl list --provider ims --region cn-north-4 --name ims_test --limit 10")]
pub struct ListArgs {
    /// Only the image with exactly this name.
    #[arg(long, value_name = "NAME", conflicts_with = "name_prefix")]
    pub name: Option<String>,
    /// Only images whose names start with this.
    #[arg(long, value_name = "PREFIX")]
    pub name_prefix: Option<String>,
    /// Only images in this state (the cloud's spelling, any case).
    #[arg(long, value_name = "STATUS")]
    pub status: Option<String>,
    /// At most this many images. [default: all]
    #[arg(long, value_name = "N")]
    pub limit: Option<usize>,
    /// Images per request: ens 1-50, ecs 1-100, ec2 5-1000, ims 1-500. [default: the maximum]
    #[arg(long, value_name = "N")]
    pub page_size: Option<usize>,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Flags by provider (a flag the provider lacks is a usage error, exit 2):
  ens  --image-id
  ecs  --image-id --force (delete even when instances use the image)
  ec2  --image-id --delete-snapshots (DeregisterImage, then each EBS snapshot of the AMI)
  ims  --image-id --delete-snapshots (delete_backup: the whole-image backup too)
--dry-run: ec2 and ecs ask the cloud (DryRun); ens and ims validate and, with --debug, show
the signed request without sending it.

Examples:
  imgctl image delete --provider ens --image-id m-5xxgg
  imgctl delete --provider ecs --region cn-hangzhou --image-id m-bp18ygjuqnwhechc --force
  imgctl delete --provider ec2 --region us-east-1 --image-id ami-0abc --delete-snapshots
  imgctl delete --provider ims --region cn-north-4 --image-id 33ad552d-1149-471c-8575-f1d02b9f3d1d")]
pub struct DeleteArgs {
    /// The image to delete.
    #[arg(long, value_name = "ID")]
    pub image_id: String,
    /// Also delete the image's snapshots (ec2: its EBS snapshots; ims: delete_backup).
    #[arg(long)]
    pub delete_snapshots: bool,
    /// Delete even when instances use the image (ecs).
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Clone, Args)]
#[command(after_help = "\
Flags by provider (ens has no copy API: refused, exit 2):
  ecs  --image-id --to-region --name --description   (sent to the source region, ClientToken)
  ec2  --image-id --to-region --name --description   (sent to the destination region, ClientToken;
                                                      --name defaults to the source AMI's name)
  ims  --image-id --to-region --name --description --agency-name (required)
       (a job in the source project; --name defaults to the source image's name)
--wait follows the new image in the destination region.

Examples:
  imgctl image copy --provider ecs --region cn-hangzhou --image-id m-bp18ygjuqnwhechc \\
      --to-region cn-shanghai --name web-v1-sh --wait
  imgctl copy --provider ec2 --region us-east-1 --image-id ami-0abc --to-region eu-west-1
  imgctl copy --provider ims --region cn-north-4 --image-id 33ad552d-1149-471c-8575-f1d02b9f3d1d \\
      --to-region cn-east-3 --agency-name ims_admin_agency --wait")]
pub struct CopyArgs {
    /// The image to copy (in --region).
    #[arg(long, value_name = "ID")]
    pub image_id: String,
    /// The destination region.
    #[arg(long, value_name = "REGION")]
    pub to_region: String,
    /// Name of the copy. [default: the source image's name]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Description of the copy.
    #[arg(long, value_name = "TEXT")]
    pub description: Option<String>,
    /// IAM agency with IMS Administrator in both regions (ims; required there).
    #[arg(long, value_name = "NAME")]
    pub agency_name: Option<String>,
}
