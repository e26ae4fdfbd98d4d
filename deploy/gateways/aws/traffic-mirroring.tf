# AWS VPC Traffic Mirroring of an API instance's plaintext HTTP (behind the load balancer that ends
# TLS) to a sidetap collector instance. AWS sends the mirrored packets in VXLAN (UDP 4789, VNI =
# virtual_network_id) to the target's network interface; on the collector:
#   sidetap collect --vxlan 0.0.0.0:4789
# Give the collector's subnet jumbo frames (MTU 9001): mirroring adds 50 bytes to each packet and
# packets larger than the target's MTU are truncated, which cuts bodies (flagged truncated_body).

variable "api_eni_id" {
  description = "Network interface of the API instance to mirror."
  type        = string
}

variable "collector_eni_id" {
  description = "Network interface of the sidetap collector instance."
  type        = string
}

variable "collector_security_group_id" {
  description = "Security group of the collector's interface."
  type        = string
}

variable "vpc_cidr" {
  description = "Where the mirrored packets come from."
  type        = string
}

variable "api_port" {
  description = "Plaintext HTTP port of the API instance."
  type        = number
  default     = 8080
}

resource "aws_ec2_traffic_mirror_target" "sidetap" {
  description          = "sidetap collector (sidetap collect --vxlan 0.0.0.0:4789)"
  network_interface_id = var.collector_eni_id
}

resource "aws_ec2_traffic_mirror_filter" "api_http" {
  description = "HTTP to and from the API port"
}

# Requests: TCP into the API port.
resource "aws_ec2_traffic_mirror_filter_rule" "requests" {
  traffic_mirror_filter_id = aws_ec2_traffic_mirror_filter.api_http.id
  traffic_direction        = "ingress"
  rule_number              = 100
  rule_action              = "accept"
  protocol                 = 6
  source_cidr_block        = "0.0.0.0/0"
  destination_cidr_block   = "0.0.0.0/0"
  destination_port_range {
    from_port = var.api_port
    to_port   = var.api_port
  }
}

# Responses: TCP out of the API port.
resource "aws_ec2_traffic_mirror_filter_rule" "responses" {
  traffic_mirror_filter_id = aws_ec2_traffic_mirror_filter.api_http.id
  traffic_direction        = "egress"
  rule_number              = 100
  rule_action              = "accept"
  protocol                 = 6
  source_cidr_block        = "0.0.0.0/0"
  destination_cidr_block   = "0.0.0.0/0"
  source_port_range {
    from_port = var.api_port
    to_port   = var.api_port
  }
}

resource "aws_ec2_traffic_mirror_session" "api" {
  description              = "API instance to sidetap"
  network_interface_id     = var.api_eni_id
  traffic_mirror_target_id = aws_ec2_traffic_mirror_target.sidetap.id
  traffic_mirror_filter_id = aws_ec2_traffic_mirror_filter.api_http.id
  session_number           = 1
  # The VNI sidetap records as sidetap.capture.vni.
  virtual_network_id = 4242
}

# The collector must accept the VXLAN packets.
resource "aws_security_group_rule" "vxlan_in" {
  type              = "ingress"
  security_group_id = var.collector_security_group_id
  protocol          = "udp"
  from_port         = 4789
  to_port           = 4789
  cidr_blocks       = [var.vpc_cidr]
  description       = "VPC Traffic Mirroring (VXLAN) to sidetap"
}
