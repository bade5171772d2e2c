//! Neutral requests (ops.rs) to EC2 Query requests: pure functions, so the
//! exact wire parameters can be compared with what boto3 sends.

use super::query::Query;
use crate::error::{Error, Result};
use crate::ops::{BlockDevice, CopyImage, CreateImage, ImportImage, ListImages, ModifyImage, Tag};

const VOLUME_TYPES: &[&str] = &["standard", "io1", "io2", "gp2", "sc1", "st1", "gp3"];

/// CreateImage, parameters in boto3's order (ref/aws.md §1 capture).
pub fn create_image(r: &CreateImage, dry_run: bool) -> Result<Query> {
    let instance = r
        .instance_id
        .as_deref()
        .ok_or_else(|| Error::usage("ec2 create needs --instance-id"))?;
    let mut q = Query::new("CreateImage");
    q.push("InstanceId", instance)
        .push("Name", r.name.as_str())
        .opt("Description", r.description.as_deref());
    if r.no_reboot {
        q.flag("NoReboot", true);
    }
    for (i, bd) in r.block_devices.iter().enumerate() {
        block_device(&mut q, &format!("BlockDeviceMapping.{}", i + 1), bd)?;
    }
    let mut n = 0;
    for (kind, tags) in [("image", &r.tags), ("snapshot", &r.snapshot_tags)] {
        if !tags.is_empty() {
            n += 1;
            q.tag_spec(n, kind, tags);
        }
    }
    if dry_run {
        q.flag("DryRun", true);
    }
    Ok(q)
}

fn block_device(q: &mut Query, p: &str, bd: &BlockDevice) -> Result<()> {
    if bd.disk_type.is_some() {
        return Err(Error::usage(
            "--block-device-mapping: DiskType (system/data) is ECS-only; ec2 does not take it",
        ));
    }
    if let Some(t) = &bd.volume_type
        && !VOLUME_TYPES.contains(&t.as_str())
    {
        return Err(Error::usage(format!(
            "--block-device-mapping: invalid VolumeType '{t}' for ec2: expected one of {}",
            VOLUME_TYPES.join(", ")
        )));
    }
    q.opt(format!("{p}.DeviceName"), bd.device_name.as_deref())
        .opt(format!("{p}.VirtualName"), bd.virtual_name.as_deref());
    if bd.no_device {
        // EC2 suppresses a device with an empty NoDevice, as boto3 sends it.
        q.push(format!("{p}.NoDevice"), "");
    }
    let e = format!("{p}.Ebs");
    q.opt(format!("{e}.SnapshotId"), bd.snapshot_id.as_deref())
        .opt(format!("{e}.VolumeSize"), bd.volume_size)
        .opt(format!("{e}.VolumeType"), bd.volume_type.as_deref())
        .opt(format!("{e}.DeleteOnTermination"), bd.delete_on_termination)
        .opt(format!("{e}.Encrypted"), bd.encrypted)
        .opt(format!("{e}.Iops"), bd.iops)
        .opt(format!("{e}.Throughput"), bd.throughput)
        .opt(format!("{e}.KmsKeyId"), bd.kms_key_id.as_deref());
    Ok(())
}

/// ModifyImageAttribute changes one attribute per call: one request per
/// attribute given, in a fixed order, the irreversible IMDS change last so
/// that it is not made when an earlier change fails.
pub fn modify_image(r: &ModifyImage, dry_run: bool) -> Vec<(&'static str, Query)> {
    let base = || {
        let mut q = Query::new("ModifyImageAttribute");
        q.push("ImageId", r.image_id.as_str());
        q
    };
    let mut calls = Vec::new();
    if let Some(d) = &r.description {
        let mut q = base();
        q.push("Description.Value", d.as_str());
        calls.push(("description", q));
    }
    let mut add: Vec<(&str, &str)> = r
        .launch_permission_add
        .iter()
        .map(|a| ("UserId", a.as_str()))
        .collect();
    if r.make_public {
        add.push(("Group", "all"));
    }
    let mut remove: Vec<(&str, &str)> = r
        .launch_permission_remove
        .iter()
        .map(|a| ("UserId", a.as_str()))
        .collect();
    if r.make_private {
        remove.push(("Group", "all"));
    }
    if !add.is_empty() || !remove.is_empty() {
        let mut q = base();
        for (op, list) in [("Add", &add), ("Remove", &remove)] {
            for (i, (field, v)) in list.iter().enumerate() {
                q.push(format!("LaunchPermission.{op}.{}.{field}", i + 1), *v);
            }
        }
        calls.push(("launchPermission", q));
    }
    if let Some(v) = &r.imds_support {
        let mut q = base();
        q.push("ImdsSupport.Value", v.as_str());
        calls.push(("imdsSupport", q));
    }
    if dry_run {
        for (_, q) in &mut calls {
            q.flag("DryRun", true);
        }
    }
    calls
}

/// ImportImage, parameters in boto3's order (ref/aws.md §1 capture). The
/// client token is the caller's, so that it stays the same on every retry.
pub fn import_image(r: &ImportImage, client_token: &str, dry_run: bool) -> Result<Query> {
    let url = r
        .url
        .as_ref()
        .ok_or_else(|| Error::usage("import needs --url s3://BUCKET/KEY"))?;
    if let Some(p) = &r.platform
        && !matches!(p.as_str(), "Linux" | "Windows")
    {
        return Err(Error::usage(format!(
            "invalid --platform '{p}' for ec2: expected Linux or Windows"
        )));
    }
    if let Some(a) = &r.architecture
        && !matches!(a.as_str(), "i386" | "x86_64" | "arm64")
    {
        return Err(Error::usage(format!(
            "invalid --architecture '{a}' for ec2: expected i386, x86_64 or arm64"
        )));
    }
    let mut tags: Vec<Tag> = Vec::new();
    if let Some(name) = &r.name {
        if r.tags.iter().any(|t| t.key == "Name") {
            return Err(Error::usage(
                "ec2 import: --name sets the task's Name tag; do not also give --tag Name=…",
            ));
        }
        tags.push(Tag {
            key: "Name".into(),
            value: name.clone(),
        });
    }
    tags.extend(r.tags.iter().cloned());

    let mut q = Query::new("ImportImage");
    q.opt("Description", r.description.as_deref())
        .opt("Architecture", r.architecture.as_deref())
        .opt("Platform", r.platform.as_deref())
        .opt("LicenseType", r.license_type.as_deref())
        .opt("BootMode", r.boot_mode.as_deref())
        .opt("RoleName", r.role_name.as_deref());
    for (i, disk) in std::iter::once(url).chain(&r.disks).enumerate() {
        let p = format!("DiskContainer.{}", i + 1);
        let format = r.format.clone().or_else(|| format_from_key(&disk.key));
        q.opt(format!("{p}.Format"), format)
            .push(format!("{p}.UserBucket.S3Bucket"), disk.bucket.as_str())
            .push(format!("{p}.UserBucket.S3Key"), disk.key.as_str());
    }
    q.tag_spec(1, "import-image-task", &tags);
    q.push("ClientToken", client_token);
    if dry_run {
        q.flag("DryRun", true);
    }
    Ok(q)
}

/// A disk's format from its file extension when --format is not given
/// (VM Import's own formats only: anything else is left to EC2).
fn format_from_key(key: &str) -> Option<String> {
    let ext = key.rsplit_once('.')?.1.to_ascii_uppercase();
    ["OVA", "VHD", "VHDX", "VMDK", "RAW"]
        .contains(&ext.as_str())
        .then_some(ext)
}

pub fn describe_image(image_id: &str) -> Query {
    let mut q = Query::new("DescribeImages");
    q.list("ImageId", &[image_id]);
    q
}

/// This account's AMIs with exactly this name: what botocore sends for
/// `describe_images(Owners=["self"], Filters=[{"Name": "name", "Values": [name]}])`.
pub fn describe_images_named(name: &str) -> Query {
    let mut q = Query::new("DescribeImages");
    q.list("Owner", &["self"]);
    q.push("Filter.1.Name", "name");
    q.list("Filter.1.Value", &[name]);
    q
}

/// One page of the caller's own AMIs (disabled ones included: a clean-up
/// list wants them). The name filter is exact with `*` wildcards, and AMI
/// names cannot hold `*`, `?` or `\\`, so `PREFIX*` is a true prefix query.
pub fn list_images(r: &ListImages, max_results: usize, next_token: Option<&str>) -> Query {
    let mut q = Query::new("DescribeImages");
    q.list("Owner", &["self"]);
    q.flag("IncludeDisabled", true);
    q.push("MaxResults", max_results.to_string());
    let mut n = 0;
    let name = match (&r.name, &r.name_prefix) {
        (Some(n), _) if !n.contains(['*', '?', '\\']) => Some(n.clone()),
        (_, Some(p)) if !p.contains(['*', '?', '\\']) => Some(format!("{p}*")),
        _ => None,
    };
    for (filter, value) in [("name", name), ("state", r.status.clone())] {
        if let Some(v) = value {
            n += 1;
            q.push(format!("Filter.{n}.Name"), filter);
            q.list(&format!("Filter.{n}.Value"), &[v]);
        }
    }
    q.opt("NextToken", next_token);
    q
}

/// DeregisterImage; with `delete_snapshots`, EC2 deletes the snapshots no
/// other AMI uses (regions and emulations that ignore it are covered by
/// DeleteSnapshot calls afterwards).
pub fn deregister_image(image_id: &str, delete_snapshots: bool, dry_run: bool) -> Query {
    let mut q = Query::new("DeregisterImage");
    q.push("ImageId", image_id);
    if delete_snapshots {
        q.flag("DeleteAssociatedSnapshots", true);
    }
    if dry_run {
        q.flag("DryRun", true);
    }
    q
}

pub fn delete_snapshot(snapshot_id: &str) -> Query {
    let mut q = Query::new("DeleteSnapshot");
    q.push("SnapshotId", snapshot_id);
    q
}

/// CopyImage, sent to (and signed for) the destination region.
pub fn copy_image(
    r: &CopyImage,
    source_region: &str,
    name: &str,
    client_token: &str,
    dry_run: bool,
) -> Query {
    let mut q = Query::new("CopyImage");
    q.push("ClientToken", client_token)
        .opt("Description", r.description.as_deref())
        .push("Name", name)
        .push("SourceImageId", r.image_id.as_str())
        .push("SourceRegion", source_region);
    if dry_run {
        q.flag("DryRun", true);
    }
    q
}

pub fn describe_import_task(task_id: &str) -> Query {
    let mut q = Query::new("DescribeImportImageTasks");
    q.list("ImportTaskId", &[task_id]);
    q
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{parse_block_devices, parse_object_url, parse_tag};

    fn tags(list: &[&str]) -> Vec<Tag> {
        list.iter().map(|t| parse_tag(t).unwrap()).collect()
    }

    // The boto3 capture of ref/aws.md §1, minus its explicit DryRun=false
    // (imgctl only sends DryRun when asked to).
    #[test]
    fn create_image_matches_boto3_capture() {
        let mut bds =
            parse_block_devices("DeviceName=/dev/xvda,Ebs={VolumeSize=20,VolumeType=gp3,DeleteOnTermination=true,Encrypted=false}")
                .unwrap();
        bds.extend(parse_block_devices(r#"{"DeviceName":"/dev/sdb","NoDevice":""}"#).unwrap());
        let r = CreateImage {
            name: "my-ami v1".into(),
            instance_id: Some("i-1234567890abcdef0".into()),
            description: Some("built by ci".into()),
            no_reboot: true,
            block_devices: bds,
            tags: tags(&["Name=my-ami", "team=a&b=c"]),
            snapshot_tags: tags(&["Name=snap"]),
            ..CreateImage::default()
        };
        let captured = "Action=CreateImage&Version=2016-11-15&InstanceId=i-1234567890abcdef0&Name=my-ami+v1&Description=built+by+ci&NoReboot=true&BlockDeviceMapping.1.DeviceName=%2Fdev%2Fxvda&BlockDeviceMapping.1.Ebs.VolumeSize=20&BlockDeviceMapping.1.Ebs.VolumeType=gp3&BlockDeviceMapping.1.Ebs.DeleteOnTermination=true&BlockDeviceMapping.1.Ebs.Encrypted=false&BlockDeviceMapping.2.DeviceName=%2Fdev%2Fsdb&BlockDeviceMapping.2.NoDevice=&TagSpecification.1.ResourceType=image&TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=my-ami&TagSpecification.1.Tag.2.Key=team&TagSpecification.1.Tag.2.Value=a%26b%3Dc&TagSpecification.2.ResourceType=snapshot&TagSpecification.2.Tag.1.Key=Name&TagSpecification.2.Tag.1.Value=snap&DryRun=false";
        let ours = create_image(&r, false).unwrap().encode();
        assert_eq!(ours, captured.strip_suffix("&DryRun=false").unwrap());
        assert!(
            create_image(&r, true)
                .unwrap()
                .encode()
                .ends_with("&DryRun=true")
        );
    }

    #[test]
    fn snapshot_tags_alone_are_specification_1() {
        let r = CreateImage {
            name: "abc".into(),
            instance_id: Some("i-1".into()),
            snapshot_tags: tags(&["k=v"]),
            ..CreateImage::default()
        };
        let q = create_image(&r, false).unwrap().encode();
        assert!(q.ends_with("&TagSpecification.1.ResourceType=snapshot&TagSpecification.1.Tag.1.Key=k&TagSpecification.1.Tag.1.Value=v"), "{q}");
    }

    #[test]
    fn ecs_only_and_bad_block_fields_are_usage_errors() {
        for spec in [
            "device=/dev/xvda,disk-type=system",
            "device=/dev/xvda,type=ssd",
        ] {
            let r = CreateImage {
                name: "abc".into(),
                instance_id: Some("i-1".into()),
                block_devices: parse_block_devices(spec).unwrap(),
                ..CreateImage::default()
            };
            let e = create_image(&r, false).unwrap_err();
            assert_eq!(e.exit_code(), 2, "{e}");
        }
    }

    // ref/aws.md §1 boto3 captures of ModifyImageAttribute.
    #[test]
    fn modify_image_matches_boto3_captures() {
        let one = |r: ModifyImage| {
            let calls = modify_image(&r, false);
            assert_eq!(calls.len(), 1);
            calls[0].1.encode()
        };
        let r = ModifyImage {
            image_id: "ami-1".into(),
            description: Some("new desc".into()),
            ..ModifyImage::default()
        };
        assert_eq!(
            one(r),
            "Action=ModifyImageAttribute&Version=2016-11-15&ImageId=ami-1&Description.Value=new+desc"
        );
        let r = ModifyImage {
            image_id: "ami-1".into(),
            launch_permission_add: vec!["123456789012".into()],
            make_public: true,
            launch_permission_remove: vec!["210987654321".into()],
            ..ModifyImage::default()
        };
        assert_eq!(
            one(r),
            "Action=ModifyImageAttribute&Version=2016-11-15&ImageId=ami-1&LaunchPermission.Add.1.UserId=123456789012&LaunchPermission.Add.2.Group=all&LaunchPermission.Remove.1.UserId=210987654321"
        );
        let r = ModifyImage {
            image_id: "ami-1".into(),
            imds_support: Some("v2.0".into()),
            ..ModifyImage::default()
        };
        assert_eq!(
            one(r),
            "Action=ModifyImageAttribute&Version=2016-11-15&ImageId=ami-1&ImdsSupport.Value=v2.0"
        );
    }

    #[test]
    fn modify_splits_attributes_in_fixed_order() {
        let r = ModifyImage {
            image_id: "ami-1".into(),
            imds_support: Some("v2.0".into()),
            make_private: true,
            description: Some("d".into()),
            ..ModifyImage::default()
        };
        let calls = modify_image(&r, true);
        let attrs: Vec<_> = calls.iter().map(|(a, _)| *a).collect();
        assert_eq!(attrs, ["description", "launchPermission", "imdsSupport"]);
        assert!(
            calls[1]
                .1
                .encode()
                .contains("LaunchPermission.Remove.1.Group=all")
        );
        assert!(
            calls
                .iter()
                .all(|(_, q)| q.encode().ends_with("&DryRun=true"))
        );
    }

    // The ImportImage capture of ref/aws.md §1, for the parameters imgctl
    // shares with it (the capture's second disk uses Url, ours UserBucket).
    #[test]
    fn import_image_names() {
        let r = ImportImage {
            description: Some("imported".into()),
            architecture: Some("x86_64".into()),
            platform: Some("Linux".into()),
            license_type: Some("BYOL".into()),
            boot_mode: Some("uefi".into()),
            role_name: Some("vmimport".into()),
            url: Some(parse_object_url("s3://my-bucket/images/disk1.vmdk").unwrap()),
            disks: vec![parse_object_url("s3://my-bucket/disk2.raw").unwrap()],
            tags: tags(&["k=v"]),
            ..ImportImage::default()
        };
        let q = import_image(&r, "tok-1", false).unwrap().encode();
        assert_eq!(
            q,
            "Action=ImportImage&Version=2016-11-15&Description=imported&Architecture=x86_64&Platform=Linux&LicenseType=BYOL&BootMode=uefi&RoleName=vmimport&DiskContainer.1.Format=VMDK&DiskContainer.1.UserBucket.S3Bucket=my-bucket&DiskContainer.1.UserBucket.S3Key=images%2Fdisk1.vmdk&DiskContainer.2.Format=RAW&DiskContainer.2.UserBucket.S3Bucket=my-bucket&DiskContainer.2.UserBucket.S3Key=disk2.raw&TagSpecification.1.ResourceType=import-image-task&TagSpecification.1.Tag.1.Key=k&TagSpecification.1.Tag.1.Value=v&ClientToken=tok-1"
        );
    }

    #[test]
    fn import_name_becomes_name_tag() {
        let mut r = ImportImage {
            name: Some("base 2026".into()),
            url: Some(parse_object_url("s3://b/disk.img").unwrap()),
            format: None,
            tags: tags(&["team=x"]),
            ..ImportImage::default()
        };
        let q = import_image(&r, "t", false).unwrap().encode();
        assert!(!q.contains("Format"), "no guess for .img: {q}");
        assert!(q.contains("TagSpecification.1.Tag.1.Key=Name&TagSpecification.1.Tag.1.Value=base+2026&TagSpecification.1.Tag.2.Key=team"), "{q}");
        r.tags = tags(&["Name=x"]);
        assert_eq!(import_image(&r, "t", false).unwrap_err().exit_code(), 2);
        r.tags.clear();
        r.platform = Some("linux".into());
        assert_eq!(import_image(&r, "t", false).unwrap_err().exit_code(), 2);
    }

    #[test]
    fn list_delete_copy_requests() {
        let r = ListImages {
            name_prefix: Some("web-".into()),
            status: Some("available".into()),
            ..ListImages::default()
        };
        assert_eq!(
            list_images(&r, 1000, Some("tok")).encode(),
            "Action=DescribeImages&Version=2016-11-15&Owner.1=self&IncludeDisabled=true&MaxResults=1000&Filter.1.Name=name&Filter.1.Value.1=web-%2A&Filter.2.Name=state&Filter.2.Value.1=available&NextToken=tok"
        );
        assert_eq!(
            deregister_image("ami-1", true, true).encode(),
            "Action=DeregisterImage&Version=2016-11-15&ImageId=ami-1&DeleteAssociatedSnapshots=true&DryRun=true"
        );
        let c = CopyImage {
            image_id: "ami-1".into(),
            to_region: "eu-west-1".into(),
            description: Some("d".into()),
            ..CopyImage::default()
        };
        assert_eq!(
            copy_image(&c, "us-east-1", "web", "tok", false).encode(),
            "Action=CopyImage&Version=2016-11-15&ClientToken=tok&Description=d&Name=web&SourceImageId=ami-1&SourceRegion=us-east-1"
        );
    }

    #[test]
    fn describe_requests() {
        assert_eq!(
            describe_image("ami-1").encode(),
            "Action=DescribeImages&Version=2016-11-15&ImageId.1=ami-1"
        );
        assert_eq!(
            describe_import_task("import-ami-1").encode(),
            "Action=DescribeImportImageTasks&Version=2016-11-15&ImportTaskId.1=import-ami-1"
        );
    }
}
