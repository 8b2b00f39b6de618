/*
 * libjpeg-turbo's 1/8 DCT-scaled decode of JPEGs on one thread, outside the JVM, and the same decode
 * stopped after 15/16 of the rows (what a 224x224 centre crop of a 4:3 photo needs): thread CPU ms,
 * mean of 5 rounds after one warm-up. docs/benchmarks.md "Decode", "Edge CPU at 12 MP".
 *
 *   gcc -O2 -o scaled-decode scaled-decode.c -ljpeg      # Debian: libjpeg62-turbo-dev
 *   ./scaled-decode photo1.jpg photo2.jpg ...
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <jpeglib.h>
static double cpu(){struct timespec t;clock_gettime(CLOCK_THREAD_CPUTIME_ID,&t);return t.tv_sec*1e3+t.tv_nsec/1e6;}
static unsigned char *buf; static long len;
static void run(int mode){ /* 0: 1/8 scaled decode to RGB; 2: the same, stopping after 15/16 of the rows */
  struct jpeg_decompress_struct c; struct jpeg_error_mgr e; c.err=jpeg_std_error(&e); jpeg_create_decompress(&c);
  jpeg_mem_src(&c,buf,len); jpeg_read_header(&c,TRUE);
  c.scale_num=1;c.scale_denom=8;c.out_color_space=JCS_RGB; jpeg_start_decompress(&c);
  unsigned char *row=malloc(c.output_width*3); JSAMPROW r[1]={row};
  unsigned stop = mode==2 ? c.output_height*15/16 : c.output_height;
  while(c.output_scanline<stop) jpeg_read_scanlines(&c,r,1);
  if(mode==2) jpeg_abort_decompress(&c); else jpeg_finish_decompress(&c);
  jpeg_destroy_decompress(&c); free(row);
}
int main(int argc,char**argv){
  const char*names[]={"1/8 decode to RGB","","1/8 decode, stop at 15/16 rows"};
  double tot[3]={0};int n=0;
  for(int a=1;a<argc;a++){FILE*f=fopen(argv[a],"rb");fseek(f,0,SEEK_END);len=ftell(f);rewind(f);buf=malloc(len);fread(buf,1,len,f);fclose(f);
    for(int k=0;k<6;k++) for(int m=0;m<3;m+=2){double s=cpu();run(m);double d=cpu()-s; if(k>=1){tot[m]+=d;} }
    n+=5; free(buf);}
  for(int m=0;m<3;m+=2) printf("%-45s %6.2f ms\n",names[m],tot[m]/n);
}
