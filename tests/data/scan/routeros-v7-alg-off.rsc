# 2024-07-02 18:22:40 by RouterOS 7.15.2
# software id = 8QWE-KD3X
#
# model = RB5009UG+S+
# serial number = HGA09N4F2K1
/interface bridge
add admin-mac=48:A9:8A:01:02:03 auto-mac=no comment=defconf name=bridge
/interface ethernet
set [ find default-name=ether1 ] comment=WAN
set [ find default-name=ether8 ] disabled=yes
/interface vlan
add interface=bridge name=vlan30-phones vlan-id=30
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/queue simple
add max-limit=10M/10M name=voice packet-marks=voip priority=1/1 target=\
    192.168.30.0/24
add max-limit=90M/90M name=bulk packet-marks=no-mark target=192.168.88.0/24
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
add bridge=bridge comment=defconf interface=ether3
/ip firewall connection tracking
set udp-timeout=00:02:30
/interface list member
add comment=defconf interface=bridge list=LAN
add comment=defconf interface=ether1 list=WAN
add interface=vlan30-phones list=LAN
/ip address
add address=192.168.88.1/24 comment=defconf interface=bridge network=\
    192.168.88.0
add address=192.168.30.1/24 interface=vlan30-phones network=192.168.30.0
add address=192.168.31.1/24 disabled=yes interface=vlan30-phones network=\
    192.168.31.0
/ip dhcp-client
add comment=defconf interface=ether1
/ip firewall address-list
add address=193.201.230.128/26 comment="SIP provider" list=provider
add address=198.51.100.0/24 disabled=true list=provider
/ip firewall filter
add action=accept chain=input comment=\
    "defconf: accept established,related,untracked" connection-state=\
    established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=\
    invalid
add action=jump chain=forward in-interface-list=WAN jump-target=from-wan
add action=accept chain=from-wan protocol=udp src-address-list=provider \
    dst-port=5060,10000-65535
add action=accept chain=from-wan disabled=true protocol=tcp \
    src-address-list=provider dst-port=5061
add action=return chain=from-wan
add action=drop chain=forward comment=\
    "defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat \
    connection-state=new in-interface-list=WAN
/ip firewall mangle
add action=mark-packet chain=postrouting dscp=46 new-packet-mark=voip \
    passthrough=no
add action=mark-packet chain=postrouting new-packet-mark=no-mark passthrough=\
    no
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" \
    ipsec-policy=out,none out-interface-list=WAN
add action=src-nat chain=srcnat disabled=yes out-interface=ether1 \
    to-addresses=198.51.100.2
/ip firewall service-port
disable sip
/ip route
add disabled=no dst-address=0.0.0.0/0 gateway=198.51.100.1
/system identity
set name=shop6-rtr
/tool mac-server
set allowed-interface-list=LAN
