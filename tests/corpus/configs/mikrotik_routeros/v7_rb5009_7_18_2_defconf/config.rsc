#                   version: 7.18.2 (stable)
#          factory-software: 7.8
#              total-memory: 1024.0MiB
#                       cpu: ARM64
#                 cpu-count: 4
#           total-hdd-space: 1024.0MiB
#         architecture-name: arm64
#                board-name: RB5009UPr+S+
#                  platform: MikroTik
#   installed-version: 7.18.2
# Flags: U - UNDOABLE
# Columns: ACTION, BY, POLICY, TIME
#   ACTION                              BY     POLICY  TIME
# U device changed                      admin  write   2025-03-10 15:04:16
# U device changed                      admin  write   2025-03-10 15:04:13
# U device changed                      admin  write   2025-03-10 15:04:11
# U device changed                      admin  write   2025-03-10 15:04:08
# U device changed                      admin  write   2025-03-10 15:04:04
# U disk and smb server config changed         write   2025-03-10 11:59:20
# U user admin changed                         write   2025-03-10 11:59:20
#                                              policy
# U mac winbox setting changed                 write   2025-03-10 11:59:20
# U mac-server interface changed               write   2025-03-10 11:59:20
# U config changed                             write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U filter6 rule added                         write   2025-03-10 11:59:20
# U address list entry added                   write   2025-03-10 11:59:19
# U address list entry added                   write   2025-03-10 11:59:19
# U address list entry added                   write   2025-03-10 11:59:19
# U address list entry added                   write   2025-03-10 11:59:19
# U address list entry added                   write   2025-03-10 11:59:19
# U address list entry added                   write   2025-03-10 11:59:19
# U address list entry added                   write   2025-03-10 11:59:19
# U address list entry added                   write   2025-03-10 11:59:19
# U address list entry added                   write   2025-03-10 11:59:19
# U filter rule added                          write   2025-03-10 11:59:19
# U filter rule added                          write   2025-03-10 11:59:19
# U filter rule added                          write   2025-03-10 11:59:19
# U filter rule added                          write   2025-03-10 11:59:19
# U filter rule added                          write   2025-03-10 11:59:19
# U filter rule added                          write   2025-03-10 11:59:19
# U filter rule added                          write   2025-03-10 11:59:19
# U filter rule added                          write   2025-03-10 11:59:19
# U filter rule added                          write   2025-03-10 11:59:19
# U filter rule added                          write   2025-03-10 11:59:19
# U filter rule added                          write   2025-03-10 11:59:19
# U nat rule added                             write   2025-03-10 11:59:19
# U interface list member added                write   2025-03-10 11:59:19
# U interface list member added                write   2025-03-10 11:59:19
# U dhcp client added                          write   2025-03-10 11:59:19
# U static dns entry added                     write   2025-03-10 11:59:19
# U dns changed                                write   2025-03-10 11:59:19
# U address added                              write   2025-03-10 11:59:19
# U dhcp network added                         write   2025-03-10 11:59:19
# U dhcp server defconf added                  write   2025-03-10 11:59:19
# U pool default-dhcp added                    write   2025-03-10 11:59:19
# U bridge port added                          write   2025-03-10 11:59:19
# U bridge port added                          write   2025-03-10 11:59:19
# U bridge port added                          write   2025-03-10 11:59:19
# U bridge port added                          write   2025-03-10 11:59:18
# U bridge port added                          write   2025-03-10 11:59:18
# U bridge port added                          write   2025-03-10 11:59:18
# U bridge port added                          write   2025-03-10 11:59:18
# U bridge port added                          write   2025-03-10 11:59:18
# U device changed                             write   2025-03-10 11:59:18
# U device added                               write   2025-03-10 11:59:18
# U interface list added                       write   2025-03-10 11:59:18
# U interface list added                       write   2025-03-10 11:59:18
# software id = QMLS-64F2
#
# model = RB5009UPr+S+
# serial number = 123456789AB
/interface bridge
add admin-mac=AA:11:AA:11:AA:11 auto-mac=no comment=defconf name=bridge
/interface ethernet
set [ find default-name=ether2 ] mtu=1514
set [ find default-name=ether3 ] mtu=1514
set [ find default-name=ether4 ] mtu=1514
set [ find default-name=ether5 ] mtu=1514
set [ find default-name=ether6 ] mtu=1514
/interface list
add comment=defconf name=WAN
add comment=defconf name=LAN
/ip pool
add name=default-dhcp ranges=192.168.88.10-192.168.88.254
/disk settings
set auto-media-interface=bridge auto-media-sharing=yes auto-smb-sharing=yes
/interface bridge port
add bridge=bridge comment=defconf interface=ether2
add bridge=bridge comment=defconf interface=ether3
add bridge=bridge comment=defconf interface=ether4
add bridge=bridge comment=defconf interface=ether5
add bridge=bridge comment=defconf interface=ether6
add bridge=bridge comment=defconf interface=ether7
add bridge=bridge comment=defconf interface=ether8
add bridge=bridge comment=defconf interface=sfp-sfpplus1
/ip neighbor discovery-settings
set discover-interface-list=LAN
/interface list member
add comment=defconf interface=bridge list=LAN
add comment=defconf interface=ether1 list=WAN
/ip address
add address=192.168.88.1/24 comment=defconf interface=bridge network=192.168.88.0
/ip dhcp-client
# Interface not active
add comment=defconf interface=ether1
/ip dhcp-server
add address-pool=default-dhcp interface=bridge name=defconf
/ip dhcp-server network
add address=192.168.88.0/24 comment=defconf dns-server=192.168.88.1 gateway=192.168.88.1
/ip dns
set allow-remote-requests=yes
/ip dns static
add address=192.168.88.1 comment=defconf name=router.lan type=A
/ip firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid
add action=accept chain=input comment="defconf: accept ICMP" protocol=icmp
add action=accept chain=input comment="defconf: accept to local loopback (for CAPsMAN)" dst-address=127.0.0.1
add action=drop chain=input comment="defconf: drop all not coming from LAN" in-interface-list=!LAN
add action=accept chain=forward comment="defconf: accept in ipsec policy" ipsec-policy=in,ipsec
add action=accept chain=forward comment="defconf: accept out ipsec policy" ipsec-policy=out,ipsec
add action=fasttrack-connection chain=forward comment="defconf: fasttrack" connection-state=established,related hw-offload=yes
add action=accept chain=forward comment="defconf: accept established,related, untracked" connection-state=established,related,untracked
add action=drop chain=forward comment="defconf: drop invalid" connection-state=invalid
add action=drop chain=forward comment="defconf: drop all from WAN not DSTNATed" connection-nat-state=!dstnat connection-state=new in-interface-list=WAN
/ip firewall nat
add action=masquerade chain=srcnat comment="defconf: masquerade" ipsec-policy=out,none out-interface-list=WAN
/ipv6 firewall address-list
add address=::/128 comment="defconf: unspecified address" list=bad_ipv6
add address=::1/128 comment="defconf: lo" list=bad_ipv6
add address=fec0::/10 comment="defconf: site-local" list=bad_ipv6
add address=::ffff:0.0.0.0/96 comment="defconf: ipv4-mapped" list=bad_ipv6
add address=::/96 comment="defconf: ipv4 compat" list=bad_ipv6
add address=100::/64 comment="defconf: discard only " list=bad_ipv6
add address=2001:db8::/32 comment="defconf: documentation" list=bad_ipv6
add address=2001:10::/28 comment="defconf: ORCHID" list=bad_ipv6
add address=3ffe::/16 comment="defconf: 6bone" list=bad_ipv6
/ipv6 firewall filter
add action=accept chain=input comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=drop chain=input comment="defconf: drop invalid" connection-state=invalid
add action=accept chain=input comment="defconf: accept ICMPv6" protocol=icmpv6
add action=accept chain=input comment="defconf: accept UDP traceroute" dst-port=33434-33534 protocol=udp
add action=accept chain=input comment="defconf: accept DHCPv6-Client prefix delegation." dst-port=546 protocol=udp src-address=fe80::/10
add action=accept chain=input comment="defconf: accept IKE" dst-port=500,4500 protocol=udp
add action=accept chain=input comment="defconf: accept ipsec AH" protocol=ipsec-ah
add action=accept chain=input comment="defconf: accept ipsec ESP" protocol=ipsec-esp
add action=accept chain=input comment="defconf: accept all that matches ipsec policy" ipsec-policy=in,ipsec
add action=drop chain=input comment="defconf: drop everything else not coming from LAN" in-interface-list=!LAN
add action=fasttrack-connection chain=forward comment="defconf: fasttrack6" connection-state=established,related
add action=accept chain=forward comment="defconf: accept established,related,untracked" connection-state=established,related,untracked
add action=drop chain=forward comment="defconf: drop invalid" connection-state=invalid
add action=drop chain=forward comment="defconf: drop packets with bad src ipv6" src-address-list=bad_ipv6
add action=drop chain=forward comment="defconf: drop packets with bad dst ipv6" dst-address-list=bad_ipv6
add action=drop chain=forward comment="defconf: rfc4890 drop hop-limit=1" hop-limit=equal:1 protocol=icmpv6
add action=accept chain=forward comment="defconf: accept ICMPv6" protocol=icmpv6
add action=accept chain=forward comment="defconf: accept HIP" protocol=139
add action=accept chain=forward comment="defconf: accept IKE" dst-port=500,4500 protocol=udp
add action=accept chain=forward comment="defconf: accept ipsec AH" protocol=ipsec-ah
add action=accept chain=forward comment="defconf: accept ipsec ESP" protocol=ipsec-esp
add action=accept chain=forward comment="defconf: accept all that matches ipsec policy" ipsec-policy=in,ipsec
add action=drop chain=forward comment="defconf: drop everything else not coming from LAN" in-interface-list=!LAN
/system note
set show-at-login=no
/tool mac-server
set allowed-interface-list=LAN
/tool mac-server mac-winbox
set allowed-interface-list=LAN
