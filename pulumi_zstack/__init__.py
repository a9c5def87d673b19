"""pulumi-zstack: manage a ZStack private cloud from Pulumi programs."""
