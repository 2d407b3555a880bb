// Space-group settings (number|ccp4 number|extended Hermann-Mauguin|short HM with spaces|compact|Hall|flags:
// S = Sohncke (chiral-compatible), R = reference setting). Generated once from gemmi's table (MPL-2.0).
export const SPACE_GROUP_ROWS = `1|1|P 1||P1|P 1|SR
2|2|P -1||P-1|-P 1|R
3|3|P 1 2 1|P 2|P2|P 2y|SR
3|1003|P 1 1 2||P112|P 2|S
3|0|P 2 1 1||P211|P 2x|S
4|4|P 1 21 1|P 21|P21|P 2yb|SR
4|1004|P 1 1 21||P1121|P 2c|S
4|0|P 21 1 1||P2111|P 2xa|S
5|5|C 1 2 1|C 2|C2|C 2y|SR
5|2005|A 1 2 1|A 2|A2|A 2y|S
5|4005|I 1 2 1|I 2|I2|I 2y|S
5|0|A 1 1 2||A112|A 2|S
5|1005|B 1 1 2||B112|B 2|S
5|0|I 1 1 2||I112|I 2|S
5|0|B 2 1 1||B211|B 2x|S
5|0|C 2 1 1||C211|C 2x|S
5|0|I 2 1 1||I211|I 2x|S
6|6|P 1 m 1|P m|Pm|P -2y|R
6|1006|P 1 1 m||P11m|P -2|
6|0|P m 1 1||Pm11|P -2x|
7|7|P 1 c 1|P c|Pc|P -2yc|R
7|0|P 1 n 1|P n|Pn|P -2yac|
7|0|P 1 a 1|P a|Pa|P -2ya|
7|0|P 1 1 a||P11a|P -2a|
7|0|P 1 1 n||P11n|P -2ab|
7|1007|P 1 1 b||P11b|P -2b|
7|0|P b 1 1||Pb11|P -2xb|
7|0|P n 1 1||Pn11|P -2xbc|
7|0|P c 1 1||Pc11|P -2xc|
8|8|C 1 m 1|C m|Cm|C -2y|R
8|0|A 1 m 1|A m|Am|A -2y|
8|0|I 1 m 1|I m|Im|I -2y|
8|0|A 1 1 m||A11m|A -2|
8|1008|B 1 1 m||B11m|B -2|
8|0|I 1 1 m||I11m|I -2|
8|0|B m 1 1||Bm11|B -2x|
8|0|C m 1 1||Cm11|C -2x|
8|0|I m 1 1||Im11|I -2x|
9|9|C 1 c 1|C c|Cc|C -2yc|R
9|0|A 1 n 1|A n|An|A -2yab|
9|0|I 1 a 1|I a|Ia|I -2ya|
9|0|A 1 a 1|A a|Aa|A -2ya|
9|0|C 1 n 1|C n|Cn|C -2yac|
9|0|I 1 c 1|I c|Ic|I -2yc|
9|0|A 1 1 a||A11a|A -2a|
9|0|B 1 1 n||B11n|B -2ab|
9|0|I 1 1 b||I11b|I -2b|
9|1009|B 1 1 b||B11b|B -2b|
9|0|A 1 1 n||A11n|A -2ab|
9|0|I 1 1 a||I11a|I -2a|
9|0|B b 1 1||Bb11|B -2xb|
9|0|C n 1 1||Cn11|C -2xac|
9|0|I c 1 1||Ic11|I -2xc|
9|0|C c 1 1||Cc11|C -2xc|
9|0|B n 1 1||Bn11|B -2xab|
9|0|I b 1 1||Ib11|I -2xb|
10|10|P 1 2/m 1|P 2/m|P2/m|-P 2y|R
10|1010|P 1 1 2/m||P112/m|-P 2|
10|0|P 2/m 1 1||P2/m11|-P 2x|
11|11|P 1 21/m 1|P 21/m|P21/m|-P 2yb|R
11|1011|P 1 1 21/m||P1121/m|-P 2c|
11|0|P 21/m 1 1||P21/m11|-P 2xa|
12|12|C 1 2/m 1|C 2/m|C2/m|-C 2y|R
12|0|A 1 2/m 1|A 2/m|A2/m|-A 2y|
12|0|I 1 2/m 1|I 2/m|I2/m|-I 2y|
12|0|A 1 1 2/m||A112/m|-A 2|
12|1012|B 1 1 2/m||B112/m|-B 2|
12|0|I 1 1 2/m||I112/m|-I 2|
12|0|B 2/m 1 1||B2/m11|-B 2x|
12|0|C 2/m 1 1||C2/m11|-C 2x|
12|0|I 2/m 1 1||I2/m11|-I 2x|
13|13|P 1 2/c 1|P 2/c|P2/c|-P 2yc|R
13|0|P 1 2/n 1|P 2/n|P2/n|-P 2yac|
13|0|P 1 2/a 1|P 2/a|P2/a|-P 2ya|
13|0|P 1 1 2/a||P112/a|-P 2a|
13|0|P 1 1 2/n||P112/n|-P 2ab|
13|1013|P 1 1 2/b||P112/b|-P 2b|
13|0|P 2/b 1 1||P2/b11|-P 2xb|
13|0|P 2/n 1 1||P2/n11|-P 2xbc|
13|0|P 2/c 1 1||P2/c11|-P 2xc|
14|14|P 1 21/c 1|P 21/c|P21/c|-P 2ybc|R
14|2014|P 1 21/n 1|P 21/n|P21/n|-P 2yn|
14|3014|P 1 21/a 1|P 21/a|P21/a|-P 2yab|
14|0|P 1 1 21/a||P1121/a|-P 2ac|
14|0|P 1 1 21/n||P1121/n|-P 2n|
14|1014|P 1 1 21/b||P1121/b|-P 2bc|
14|0|P 21/b 1 1||P21/b11|-P 2xab|
14|0|P 21/n 1 1||P21/n11|-P 2xn|
14|0|P 21/c 1 1||P21/c11|-P 2xac|
15|15|C 1 2/c 1|C 2/c|C2/c|-C 2yc|R
15|0|A 1 2/n 1|A 2/n|A2/n|-A 2yab|
15|0|I 1 2/a 1|I 2/a|I2/a|-I 2ya|
15|0|A 1 2/a 1|A 2/a|A2/a|-A 2ya|
15|0|C 1 2/n 1|C 2/n|C2/n|-C 2yac|
15|0|I 1 2/c 1|I 2/c|I2/c|-I 2yc|
15|0|A 1 1 2/a||A112/a|-A 2a|
15|0|B 1 1 2/n||B112/n|-B 2ab|
15|0|I 1 1 2/b||I112/b|-I 2b|
15|1015|B 1 1 2/b||B112/b|-B 2b|
15|0|A 1 1 2/n||A112/n|-A 2ab|
15|0|I 1 1 2/a||I112/a|-I 2a|
15|0|B 2/b 1 1||B2/b11|-B 2xb|
15|0|C 2/n 1 1||C2/n11|-C 2xac|
15|0|I 2/c 1 1||I2/c11|-I 2xc|
15|0|C 2/c 1 1||C2/c11|-C 2xc|
15|0|B 2/n 1 1||B2/n11|-B 2xab|
15|0|I 2/b 1 1||I2/b11|-I 2xb|
16|16|P 2 2 2||P222|P 2 2|SR
17|17|P 2 2 21||P2221|P 2c 2|SR
17|1017|P 21 2 2||P2122|P 2a 2a|S
17|2017|P 2 21 2||P2212|P 2 2b|S
18|18|P 21 21 2||P21212|P 2 2ab|SR
18|3018|P 2 21 21||P22121|P 2bc 2|S
18|2018|P 21 2 21||P21221|P 2ac 2ac|S
19|19|P 21 21 21||P212121|P 2ac 2ab|SR
20|20|C 2 2 21||C2221|C 2c 2|SR
20|0|A 21 2 2||A2122|A 2a 2a|S
20|0|B 2 21 2||B2212|B 2 2b|S
21|21|C 2 2 2||C222|C 2 2|SR
21|0|A 2 2 2||A222|A 2 2|S
21|0|B 2 2 2||B222|B 2 2|S
22|22|F 2 2 2||F222|F 2 2|SR
23|23|I 2 2 2||I222|I 2 2|SR
24|24|I 21 21 21||I212121|I 2b 2c|SR
25|25|P m m 2||Pmm2|P 2 -2|R
25|0|P 2 m m||P2mm|P -2 2|
25|0|P m 2 m||Pm2m|P -2 -2|
26|26|P m c 21||Pmc21|P 2c -2|R
26|0|P c m 21||Pcm21|P 2c -2c|
26|0|P 21 m a||P21ma|P -2a 2a|
26|0|P 21 a m||P21am|P -2 2a|
26|0|P b 21 m||Pb21m|P -2 -2b|
26|0|P m 21 b||Pm21b|P -2b -2|
27|27|P c c 2||Pcc2|P 2 -2c|R
27|0|P 2 a a||P2aa|P -2a 2|
27|0|P b 2 b||Pb2b|P -2b -2b|
28|28|P m a 2||Pma2|P 2 -2a|R
28|0|P b m 2||Pbm2|P 2 -2b|
28|0|P 2 m b||P2mb|P -2b 2|
28|0|P 2 c m||P2cm|P -2c 2|
28|0|P c 2 m||Pc2m|P -2c -2c|
28|0|P m 2 a||Pm2a|P -2a -2a|
29|29|P c a 21||Pca21|P 2c -2ac|R
29|0|P b c 21||Pbc21|P 2c -2b|
29|0|P 21 a b||P21ab|P -2b 2a|
29|0|P 21 c a||P21ca|P -2ac 2a|
29|0|P c 21 b||Pc21b|P -2bc -2c|
29|0|P b 21 a||Pb21a|P -2a -2ab|
30|30|P n c 2||Pnc2|P 2 -2bc|R
30|0|P c n 2||Pcn2|P 2 -2ac|
30|0|P 2 n a||P2na|P -2ac 2|
30|0|P 2 a n||P2an|P -2ab 2|
30|0|P b 2 n||Pb2n|P -2ab -2ab|
30|0|P n 2 b||Pn2b|P -2bc -2bc|
31|31|P m n 21||Pmn21|P 2ac -2|R
31|0|P n m 21||Pnm21|P 2bc -2bc|
31|0|P 21 m n||P21mn|P -2ab 2ab|
31|0|P 21 n m||P21nm|P -2 2ac|
31|0|P n 21 m||Pn21m|P -2 -2bc|
31|0|P m 21 n||Pm21n|P -2ab -2|
32|32|P b a 2||Pba2|P 2 -2ab|R
32|0|P 2 c b||P2cb|P -2bc 2|
32|0|P c 2 a||Pc2a|P -2ac -2ac|
33|33|P n a 21||Pna21|P 2c -2n|R
33|0|P b n 21||Pbn21|P 2c -2ab|
33|0|P 21 n b||P21nb|P -2bc 2a|
33|0|P 21 c n||P21cn|P -2n 2a|
33|0|P c 21 n||Pc21n|P -2n -2ac|
33|0|P n 21 a||Pn21a|P -2ac -2n|
34|34|P n n 2||Pnn2|P 2 -2n|R
34|0|P 2 n n||P2nn|P -2n 2|
34|0|P n 2 n||Pn2n|P -2n -2n|
35|35|C m m 2||Cmm2|C 2 -2|R
35|0|A 2 m m||A2mm|A -2 2|
35|0|B m 2 m||Bm2m|B -2 -2|
36|36|C m c 21||Cmc21|C 2c -2|R
36|0|C c m 21||Ccm21|C 2c -2c|
36|0|A 21 m a||A21ma|A -2a 2a|
36|0|A 21 a m||A21am|A -2 2a|
36|0|B b 21 m||Bb21m|B -2 -2b|
36|0|B m 21 b||Bm21b|B -2b -2|
37|37|C c c 2||Ccc2|C 2 -2c|R
37|0|A 2 a a||A2aa|A -2a 2|
37|0|B b 2 b||Bb2b|B -2b -2b|
38|38|A m m 2||Amm2|A 2 -2|R
38|0|B m m 2||Bmm2|B 2 -2|
38|0|B 2 m m||B2mm|B -2 2|
38|0|C 2 m m||C2mm|C -2 2|
38|0|C m 2 m||Cm2m|C -2 -2|
38|0|A m 2 m||Am2m|A -2 -2|
39|39|A b m 2||Abm2|A 2 -2b|R
39|0|B m a 2||Bma2|B 2 -2a|
39|0|B 2 c m||B2cm|B -2a 2|
39|0|C 2 m b||C2mb|C -2a 2|
39|0|C m 2 a||Cm2a|C -2a -2a|
39|0|A c 2 m||Ac2m|A -2b -2b|
40|40|A m a 2||Ama2|A 2 -2a|R
40|0|B b m 2||Bbm2|B 2 -2b|
40|0|B 2 m b||B2mb|B -2b 2|
40|0|C 2 c m||C2cm|C -2c 2|
40|0|C c 2 m||Cc2m|C -2c -2c|
40|0|A m 2 a||Am2a|A -2a -2a|
41|41|A b a 2||Aba2|A 2 -2ab|R
41|0|B b a 2||Bba2|B 2 -2ab|
41|0|B 2 c b||B2cb|B -2ab 2|
41|0|C 2 c b||C2cb|C -2ac 2|
41|0|C c 2 a||Cc2a|C -2ac -2ac|
41|0|A c 2 a||Ac2a|A -2ab -2ab|
42|42|F m m 2||Fmm2|F 2 -2|R
42|0|F 2 m m||F2mm|F -2 2|
42|0|F m 2 m||Fm2m|F -2 -2|
43|43|F d d 2||Fdd2|F 2 -2d|R
43|0|F 2 d d||F2dd|F -2d 2|
43|0|F d 2 d||Fd2d|F -2d -2d|
44|44|I m m 2||Imm2|I 2 -2|R
44|0|I 2 m m||I2mm|I -2 2|
44|0|I m 2 m||Im2m|I -2 -2|
45|45|I b a 2||Iba2|I 2 -2c|R
45|0|I 2 c b||I2cb|I -2a 2|
45|0|I c 2 a||Ic2a|I -2b -2b|
46|46|I m a 2||Ima2|I 2 -2a|R
46|0|I b m 2||Ibm2|I 2 -2b|
46|0|I 2 m b||I2mb|I -2b 2|
46|0|I 2 c m||I2cm|I -2c 2|
46|0|I c 2 m||Ic2m|I -2c -2c|
46|0|I m 2 a||Im2a|I -2a -2a|
47|47|P m m m||Pmmm|-P 2 2|R
48|48|P n n n:1||Pnnn|P 2 2 -1n|
48|0|P n n n:2||Pnnn|-P 2ab 2bc|R
49|49|P c c m||Pccm|-P 2 2c|R
49|0|P m a a||Pmaa|-P 2a 2|
49|0|P b m b||Pbmb|-P 2b 2b|
50|50|P b a n:1||Pban|P 2 2 -1ab|
50|0|P b a n:2||Pban|-P 2ab 2b|R
50|0|P n c b:1||Pncb|P 2 2 -1bc|
50|0|P n c b:2||Pncb|-P 2b 2bc|
50|0|P c n a:1||Pcna|P 2 2 -1ac|
50|0|P c n a:2||Pcna|-P 2a 2c|
51|51|P m m a||Pmma|-P 2a 2a|R
51|0|P m m b||Pmmb|-P 2b 2|
51|0|P b m m||Pbmm|-P 2 2b|
51|0|P c m m||Pcmm|-P 2c 2c|
51|0|P m c m||Pmcm|-P 2c 2|
51|0|P m a m||Pmam|-P 2 2a|
52|52|P n n a||Pnna|-P 2a 2bc|R
52|0|P n n b||Pnnb|-P 2b 2n|
52|0|P b n n||Pbnn|-P 2n 2b|
52|0|P c n n||Pcnn|-P 2ab 2c|
52|0|P n c n||Pncn|-P 2ab 2n|
52|0|P n a n||Pnan|-P 2n 2bc|
53|53|P m n a||Pmna|-P 2ac 2|R
53|0|P n m b||Pnmb|-P 2bc 2bc|
53|0|P b m n||Pbmn|-P 2ab 2ab|
53|0|P c n m||Pcnm|-P 2 2ac|
53|0|P n c m||Pncm|-P 2 2bc|
53|0|P m a n||Pman|-P 2ab 2|
54|54|P c c a||Pcca|-P 2a 2ac|R
54|0|P c c b||Pccb|-P 2b 2c|
54|0|P b a a||Pbaa|-P 2a 2b|
54|0|P c a a||Pcaa|-P 2ac 2c|
54|0|P b c b||Pbcb|-P 2bc 2b|
54|0|P b a b||Pbab|-P 2b 2ab|
55|55|P b a m||Pbam|-P 2 2ab|R
55|0|P m c b||Pmcb|-P 2bc 2|
55|0|P c m a||Pcma|-P 2ac 2ac|
56|56|P c c n||Pccn|-P 2ab 2ac|R
56|0|P n a a||Pnaa|-P 2ac 2bc|
56|0|P b n b||Pbnb|-P 2bc 2ab|
57|57|P b c m||Pbcm|-P 2c 2b|R
57|0|P c a m||Pcam|-P 2c 2ac|
57|0|P m c a||Pmca|-P 2ac 2a|
57|0|P m a b||Pmab|-P 2b 2a|
57|0|P b m a||Pbma|-P 2a 2ab|
57|0|P c m b||Pcmb|-P 2bc 2c|
58|58|P n n m||Pnnm|-P 2 2n|R
58|0|P m n n||Pmnn|-P 2n 2|
58|0|P n m n||Pnmn|-P 2n 2n|
59|59|P m m n:1||Pmmn|P 2 2ab -1ab|
59|1059|P m m n:2||Pmmn|-P 2ab 2a|R
59|0|P n m m:1||Pnmm|P 2bc 2 -1bc|
59|0|P n m m:2||Pnmm|-P 2c 2bc|
59|0|P m n m:1||Pmnm|P 2ac 2ac -1ac|
59|0|P m n m:2||Pmnm|-P 2c 2a|
60|60|P b c n||Pbcn|-P 2n 2ab|R
60|0|P c a n||Pcan|-P 2n 2c|
60|0|P n c a||Pnca|-P 2a 2n|
60|0|P n a b||Pnab|-P 2bc 2n|
60|0|P b n a||Pbna|-P 2ac 2b|
60|0|P c n b||Pcnb|-P 2b 2ac|
61|61|P b c a||Pbca|-P 2ac 2ab|R
61|0|P c a b||Pcab|-P 2bc 2ac|
62|62|P n m a||Pnma|-P 2ac 2n|R
62|0|P m n b||Pmnb|-P 2bc 2a|
62|0|P b n m||Pbnm|-P 2c 2ab|
62|0|P c m n||Pcmn|-P 2n 2ac|
62|0|P m c n||Pmcn|-P 2n 2a|
62|0|P n a m||Pnam|-P 2c 2n|
63|63|C m c m||Cmcm|-C 2c 2|R
63|0|C c m m||Ccmm|-C 2c 2c|
63|0|A m m a||Amma|-A 2a 2a|
63|0|A m a m||Amam|-A 2 2a|
63|0|B b m m||Bbmm|-B 2 2b|
63|0|B m m b||Bmmb|-B 2b 2|
64|64|C m c a||Cmca|-C 2ac 2|R
64|0|C c m b||Ccmb|-C 2ac 2ac|
64|0|A b m a||Abma|-A 2ab 2ab|
64|0|A c a m||Acam|-A 2 2ab|
64|0|B b c m||Bbcm|-B 2 2ab|
64|0|B m a b||Bmab|-B 2ab 2|
65|65|C m m m||Cmmm|-C 2 2|R
65|0|A m m m||Ammm|-A 2 2|
65|0|B m m m||Bmmm|-B 2 2|
66|66|C c c m||Cccm|-C 2 2c|R
66|0|A m a a||Amaa|-A 2a 2|
66|0|B b m b||Bbmb|-B 2b 2b|
67|67|C m m a||Cmma|-C 2a 2|R
67|0|C m m b||Cmmb|-C 2a 2a|
67|0|A b m m||Abmm|-A 2b 2b|
67|0|A c m m||Acmm|-A 2 2b|
67|0|B m c m||Bmcm|-B 2 2a|
67|0|B m a m||Bmam|-B 2a 2|
68|68|C c c a:1||Ccca|C 2 2 -1ac|
68|0|C c c a:2||Ccca|-C 2a 2ac|R
68|0|C c c b:1||Cccb|C 2 2 -1ac|
68|0|C c c b:2||Cccb|-C 2a 2c|
68|0|A b a a:1||Abaa|A 2 2 -1ab|
68|0|A b a a:2||Abaa|-A 2a 2b|
68|0|A c a a:1||Acaa|A 2 2 -1ab|
68|0|A c a a:2||Acaa|-A 2ab 2b|
68|0|B b c b:1||Bbcb|B 2 2 -1ab|
68|0|B b c b:2||Bbcb|-B 2ab 2b|
68|0|B b a b:1||Bbab|B 2 2 -1ab|
68|0|B b a b:2||Bbab|-B 2b 2ab|
69|69|F m m m||Fmmm|-F 2 2|R
70|70|F d d d:1||Fddd|F 2 2 -1d|
70|0|F d d d:2||Fddd|-F 2uv 2vw|R
71|71|I m m m||Immm|-I 2 2|R
72|72|I b a m||Ibam|-I 2 2c|R
72|0|I m c b||Imcb|-I 2a 2|
72|0|I c m a||Icma|-I 2b 2b|
73|73|I b c a||Ibca|-I 2b 2c|R
73|0|I c a b||Icab|-I 2a 2b|
74|74|I m m a||Imma|-I 2b 2|R
74|0|I m m b||Immb|-I 2a 2a|
74|0|I b m m||Ibmm|-I 2c 2c|
74|0|I c m m||Icmm|-I 2 2b|
74|0|I m c m||Imcm|-I 2 2a|
74|0|I m a m||Imam|-I 2c 2|
75|75|P 4||P4|P 4|SR
76|76|P 41||P41|P 4w|SR
77|77|P 42||P42|P 4c|SR
78|78|P 43||P43|P 4cw|SR
79|79|I 4||I4|I 4|SR
80|80|I 41||I41|I 4bw|SR
81|81|P -4||P-4|P -4|R
82|82|I -4||I-4|I -4|R
83|83|P 4/m||P4/m|-P 4|R
84|84|P 42/m||P42/m|-P 4c|R
85|85|P 4/n:1||P4/n|P 4ab -1ab|
85|0|P 4/n:2||P4/n|-P 4a|R
86|86|P 42/n:1||P42/n|P 4n -1n|
86|0|P 42/n:2||P42/n|-P 4bc|R
87|87|I 4/m||I4/m|-I 4|R
88|88|I 41/a:1||I41/a|I 4bw -1bw|
88|0|I 41/a:2||I41/a|-I 4ad|R
89|89|P 4 2 2||P422|P 4 2|SR
90|90|P 4 21 2||P4212|P 4ab 2ab|SR
91|91|P 41 2 2||P4122|P 4w 2c|SR
92|92|P 41 21 2||P41212|P 4abw 2nw|SR
93|93|P 42 2 2||P4222|P 4c 2|SR
94|94|P 42 21 2||P42212|P 4n 2n|SR
95|95|P 43 2 2||P4322|P 4cw 2c|SR
96|96|P 43 21 2||P43212|P 4nw 2abw|SR
97|97|I 4 2 2||I422|I 4 2|SR
98|98|I 41 2 2||I4122|I 4bw 2bw|SR
99|99|P 4 m m||P4mm|P 4 -2|R
100|100|P 4 b m||P4bm|P 4 -2ab|R
101|101|P 42 c m||P42cm|P 4c -2c|R
102|102|P 42 n m||P42nm|P 4n -2n|R
103|103|P 4 c c||P4cc|P 4 -2c|R
104|104|P 4 n c||P4nc|P 4 -2n|R
105|105|P 42 m c||P42mc|P 4c -2|R
106|106|P 42 b c||P42bc|P 4c -2ab|R
107|107|I 4 m m||I4mm|I 4 -2|R
108|108|I 4 c m||I4cm|I 4 -2c|R
109|109|I 41 m d||I41md|I 4bw -2|R
110|110|I 41 c d||I41cd|I 4bw -2c|R
111|111|P -4 2 m||P-42m|P -4 2|R
112|112|P -4 2 c||P-42c|P -4 2c|R
113|113|P -4 21 m||P-421m|P -4 2ab|R
114|114|P -4 21 c||P-421c|P -4 2n|R
115|115|P -4 m 2||P-4m2|P -4 -2|R
116|116|P -4 c 2||P-4c2|P -4 -2c|R
117|117|P -4 b 2||P-4b2|P -4 -2ab|R
118|118|P -4 n 2||P-4n2|P -4 -2n|R
119|119|I -4 m 2||I-4m2|I -4 -2|R
120|120|I -4 c 2||I-4c2|I -4 -2c|R
121|121|I -4 2 m||I-42m|I -4 2|R
122|122|I -4 2 d||I-42d|I -4 2bw|R
123|123|P 4/m m m||P4/mmm|-P 4 2|R
124|124|P 4/m c c||P4/mcc|-P 4 2c|R
125|125|P 4/n b m:1||P4/nbm|P 4 2 -1ab|
125|0|P 4/n b m:2||P4/nbm|-P 4a 2b|R
126|126|P 4/n n c:1||P4/nnc|P 4 2 -1n|
126|0|P 4/n n c:2||P4/nnc|-P 4a 2bc|R
127|127|P 4/m b m||P4/mbm|-P 4 2ab|R
128|128|P 4/m n c||P4/mnc|-P 4 2n|R
129|129|P 4/n m m:1||P4/nmm|P 4ab 2ab -1ab|
129|0|P 4/n m m:2||P4/nmm|-P 4a 2a|R
130|130|P 4/n c c:1||P4/ncc|P 4ab 2n -1ab|
130|0|P 4/n c c:2||P4/ncc|-P 4a 2ac|R
131|131|P 42/m m c||P42/mmc|-P 4c 2|R
132|132|P 42/m c m||P42/mcm|-P 4c 2c|R
133|133|P 42/n b c:1||P42/nbc|P 4n 2c -1n|
133|0|P 42/n b c:2||P42/nbc|-P 4ac 2b|R
134|134|P 42/n n m:1||P42/nnm|P 4n 2 -1n|
134|0|P 42/n n m:2||P42/nnm|-P 4ac 2bc|R
135|135|P 42/m b c||P42/mbc|-P 4c 2ab|R
136|136|P 42/m n m||P42/mnm|-P 4n 2n|R
137|137|P 42/n m c:1||P42/nmc|P 4n 2n -1n|
137|0|P 42/n m c:2||P42/nmc|-P 4ac 2a|R
138|138|P 42/n c m:1||P42/ncm|P 4n 2ab -1n|
138|0|P 42/n c m:2||P42/ncm|-P 4ac 2ac|R
139|139|I 4/m m m||I4/mmm|-I 4 2|R
140|140|I 4/m c m||I4/mcm|-I 4 2c|R
141|141|I 41/a m d:1||I41/amd|I 4bw 2bw -1bw|
141|0|I 41/a m d:2||I41/amd|-I 4bd 2|R
142|142|I 41/a c d:1||I41/acd|I 4bw 2aw -1bw|
142|0|I 41/a c d:2||I41/acd|-I 4bd 2c|R
143|143|P 3||P3|P 3|SR
144|144|P 31||P31|P 31|SR
145|145|P 32||P32|P 32|SR
146|146|R 3:H||H3|R 3|SR
146|1146|R 3:R||R3|P 3*|S
147|147|P -3||P-3|-P 3|R
148|148|R -3:H||H-3|-R 3|R
148|1148|R -3:R||R-3|-P 3*|
149|149|P 3 1 2||P312|P 3 2|SR
150|150|P 3 2 1||P321|P 3 2"|SR
151|151|P 31 1 2||P3112|P 31 2 (0 0 4)|SR
152|152|P 31 2 1||P3121|P 31 2"|SR
153|153|P 32 1 2||P3212|P 32 2 (0 0 2)|SR
154|154|P 32 2 1||P3221|P 32 2"|SR
155|155|R 3 2:H||H32|R 3 2"|SR
155|1155|R 3 2:R||R32|P 3* 2|S
156|156|P 3 m 1||P3m1|P 3 -2"|R
157|157|P 3 1 m||P31m|P 3 -2|R
158|158|P 3 c 1||P3c1|P 3 -2"c|R
159|159|P 3 1 c||P31c|P 3 -2c|R
160|160|R 3 m:H||H3m|R 3 -2"|R
160|1160|R 3 m:R||R3m|P 3* -2|
161|161|R 3 c:H||H3c|R 3 -2"c|R
161|1161|R 3 c:R||R3c|P 3* -2n|
162|162|P -3 1 m||P-31m|-P 3 2|R
163|163|P -3 1 c||P-31c|-P 3 2c|R
164|164|P -3 m 1||P-3m1|-P 3 2"|R
165|165|P -3 c 1||P-3c1|-P 3 2"c|R
166|166|R -3 m:H||H-3m|-R 3 2"|R
166|1166|R -3 m:R||R-3m|-P 3* 2|
167|167|R -3 c:H||H-3c|-R 3 2"c|R
167|1167|R -3 c:R||R-3c|-P 3* 2n|
168|168|P 6||P6|P 6|SR
169|169|P 61||P61|P 61|SR
170|170|P 65||P65|P 65|SR
171|171|P 62||P62|P 62|SR
172|172|P 64||P64|P 64|SR
173|173|P 63||P63|P 6c|SR
174|174|P -6||P-6|P -6|R
175|175|P 6/m||P6/m|-P 6|R
176|176|P 63/m||P63/m|-P 6c|R
177|177|P 6 2 2||P622|P 6 2|SR
178|178|P 61 2 2||P6122|P 61 2 (0 0 5)|SR
179|179|P 65 2 2||P6522|P 65 2 (0 0 1)|SR
180|180|P 62 2 2||P6222|P 62 2 (0 0 4)|SR
181|181|P 64 2 2||P6422|P 64 2 (0 0 2)|SR
182|182|P 63 2 2||P6322|P 6c 2c|SR
183|183|P 6 m m||P6mm|P 6 -2|R
184|184|P 6 c c||P6cc|P 6 -2c|R
185|185|P 63 c m||P63cm|P 6c -2|R
186|186|P 63 m c||P63mc|P 6c -2c|R
187|187|P -6 m 2||P-6m2|P -6 2|R
188|188|P -6 c 2||P-6c2|P -6c 2|R
189|189|P -6 2 m||P-62m|P -6 -2|R
190|190|P -6 2 c||P-62c|P -6c -2c|R
191|191|P 6/m m m||P6/mmm|-P 6 2|R
192|192|P 6/m c c||P6/mcc|-P 6 2c|R
193|193|P 63/m c m||P63/mcm|-P 6c 2|R
194|194|P 63/m m c||P63/mmc|-P 6c 2c|R
195|195|P 2 3||P23|P 2 2 3|SR
196|196|F 2 3||F23|F 2 2 3|SR
197|197|I 2 3||I23|I 2 2 3|SR
198|198|P 21 3||P213|P 2ac 2ab 3|SR
199|199|I 21 3||I213|I 2b 2c 3|SR
200|200|P m -3||Pm-3|-P 2 2 3|R
201|201|P n -3:1||Pn-3|P 2 2 3 -1n|
201|0|P n -3:2||Pn-3|-P 2ab 2bc 3|R
202|202|F m -3||Fm-3|-F 2 2 3|R
203|203|F d -3:1||Fd-3|F 2 2 3 -1d|
203|0|F d -3:2||Fd-3|-F 2uv 2vw 3|R
204|204|I m -3||Im-3|-I 2 2 3|R
205|205|P a -3||Pa-3|-P 2ac 2ab 3|R
206|206|I a -3||Ia-3|-I 2b 2c 3|R
207|207|P 4 3 2||P432|P 4 2 3|SR
208|208|P 42 3 2||P4232|P 4n 2 3|SR
209|209|F 4 3 2||F432|F 4 2 3|SR
210|210|F 41 3 2||F4132|F 4d 2 3|SR
211|211|I 4 3 2||I432|I 4 2 3|SR
212|212|P 43 3 2||P4332|P 4acd 2ab 3|SR
213|213|P 41 3 2||P4132|P 4bd 2ab 3|SR
214|214|I 41 3 2||I4132|I 4bd 2c 3|SR
215|215|P -4 3 m||P-43m|P -4 2 3|R
216|216|F -4 3 m||F-43m|F -4 2 3|R
217|217|I -4 3 m||I-43m|I -4 2 3|R
218|218|P -4 3 n||P-43n|P -4n 2 3|R
219|219|F -4 3 c||F-43c|F -4a 2 3|R
220|220|I -4 3 d||I-43d|I -4bd 2c 3|R
221|221|P m -3 m||Pm-3m|-P 4 2 3|R
222|222|P n -3 n:1||Pn-3n|P 4 2 3 -1n|
222|0|P n -3 n:2||Pn-3n|-P 4a 2bc 3|R
223|223|P m -3 n||Pm-3n|-P 4n 2 3|R
224|224|P n -3 m:1||Pn-3m|P 4n 2 3 -1n|
224|0|P n -3 m:2||Pn-3m|-P 4bc 2bc 3|R
225|225|F m -3 m||Fm-3m|-F 4 2 3|R
226|226|F m -3 c||Fm-3c|-F 4a 2 3|R
227|227|F d -3 m:1||Fd-3m|F 4d 2 3 -1d|
227|0|F d -3 m:2||Fd-3m|-F 4vw 2vw 3|R
228|228|F d -3 c:1||Fd-3c|F 4d 2 3 -1ad|
228|0|F d -3 c:2||Fd-3c|-F 4ud 2vw 3|R
229|229|I m -3 m||Im-3m|-I 4 2 3|R
230|230|I a -3 d||Ia-3d|-I 4bd 2c 3|R
5|5005|I 1 21 1|I 21|I21|I 2yb|S
5|3005|C 1 21 1|C 21|C21|C 2yb|S
18|1018|P 21212(a)||P21212(a)|P 2ab 2a|S
20|1020|C 2 2 21a)||C2221a)|C 2ac 2|S
21|1021|C 2 2 2a||C222a|C 2ab 2b|S
22|1022|F 2 2 2a||F222a|F 2 2c|S
23|1023|I 2 2 2a||I222a|I 2ab 2bc|S
94|1094|P 42 21 2a||P42212a|P 4bc 2a|S
197|1197|I 2 3a||I23a|I 2ab 2bc 3|S
1|0|A 1||A1|A 1|S
1|0|B 1||B1|B 1|S
1|0|C 1||C1|C 1|S
1|0|F 1||F1|F 1|S
1|0|I 1||I1|I 1|S
2|0|A -1||A-1|-A 1|
2|0|B -1||B-1|-B 1|
2|0|C -1||C-1|-C 1|
2|0|F -1||F-1|-F 1|
2|0|I -1||I-1|-I 1|
3|0|C 1 1 2||C112|C 2|S
4|0|C 1 1 21||C1121|C 2c|S
12|0|F 1 2/m 1|F 2/m|F2/m|-F 2y|
64|0|A b a m||Abam|-A 2 2ab|
89|0|C 4 2 2||C422|C 4 2|S
90|0|C 4 2 21||C4221|C 4a 2|S
97|0|F 4 2 2||F422|F 4 2|S
115|0|C -4 2 m||C-42m|C -4 2|
117|0|C -4 2 b||C-42b|C -4 2ya|
139|0|F 4/m m m||F4/mmm|-F 4 2|`;
